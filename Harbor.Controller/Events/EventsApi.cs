using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Controller.Events;

/// <summary><c>GET /api/v1/events</c>: the domain event stream as Server-Sent Events.</summary>
internal static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/events", Stream).WithTags("Events").WithName("StreamEvents")
            .WithSummary("Server-Sent Events: inventory changes, hosts online/offline, check results, job progress, approvals. " +
                         "Filter with ?types=container.*,job.* and ?host=<id>; resume with the Last-Event-ID header.");
        return routes;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.ServerSentEventsResult<DomainEvent>> Stream(
        EventHub hub,
        HostAccess access,
        ClaimsPrincipal user,
        [FromQuery] string? types,
        [FromQuery] string? host,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        CancellationToken cancellationToken)
    {
        long? after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var filters = (types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A user limited to host groups sees events of the hosts in them when the stream opened.
        var visible = await access.VisibleHostsAsync(user, cancellationToken);
        // Subscribe before answering, so nothing published after the client sees stream.open is missed.
        var subscription = hub.Subscribe(after);
        return TypedResults.ServerSentEvents(Items(subscription, filters, host, visible, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<DomainEvent>> Items(
        EventSubscription subscription, string[] filters, string? host, IReadOnlySet<string>? visible, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var leave = subscription;
        // A comment-free first event tells the client the stream is live even when nothing happens.
        yield return new SseItem<DomainEvent>(new DomainEvent(0, "stream.open", DateTimeOffset.UtcNow, null, new { }), "stream.open");
        await foreach (var domainEvent in subscription.ReadAllAsync(cancellationToken))
        {
            if ((filters.Length == 0 || filters.Any(f => Matches(f, domainEvent.Type)))
                && (host is null || domainEvent.HostId is null || domainEvent.HostId == host)
                && (visible is null || (domainEvent.HostId is not null && visible.Contains(domainEvent.HostId))))
            {
                yield return new SseItem<DomainEvent>(domainEvent, domainEvent.Type) { EventId = domainEvent.Id.ToString(CultureInfo.InvariantCulture) };
            }
        }
    }

    /// <summary>"container.*" matches "container.changed"; an exact name matches itself.</summary>
    internal static bool Matches(string filter, string type) =>
        filter.EndsWith(".*", StringComparison.Ordinal)
            ? type.StartsWith(filter[..^1], StringComparison.Ordinal)
            : string.Equals(filter, type, StringComparison.Ordinal);
}
