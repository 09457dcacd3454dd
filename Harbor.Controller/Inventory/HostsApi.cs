using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Inventory;

/// <summary><c>/api/v1/hosts</c>: the Docker hosts whose agents have connected.</summary>
internal static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/hosts").WithTags("Hosts");
        group.MapGet("/", ListHosts).WithName("ListHosts").WithSummary("Every known host, online or not.");
        group.MapGet("/{hostId}", GetHost).WithName("GetHost").WithSummary("One host by its agent id.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<HostResponse>>> ListHosts(InventoryQueries queries, ClaimsPrincipal user, HostAccess access, CancellationToken cancellationToken)
    {
        var hosts = await queries.ListHostsAsync(cancellationToken);
        var visible = await access.VisibleHostsAsync(user, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<HostResponse>>(visible is null ? hosts : [.. hosts.Where(h => visible.Contains(h.Id))]);
    }

    private static async Task<Results<Ok<HostResponse>, ProblemHttpResult>> GetHost(string hostId, InventoryQueries queries, CancellationToken cancellationToken) =>
        await queries.GetHostAsync(hostId, cancellationToken) is { } host
            ? TypedResults.Ok(host)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Host not found", detail: $"No agent with id '{hostId}' has ever connected.");
}
