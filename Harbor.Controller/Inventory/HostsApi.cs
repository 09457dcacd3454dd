using System.Security.Claims;
using Harbor.Controller.Policy;
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
        group.MapPut("/{hostId}/group", SetGroup).WithName("SetHostGroup")
            .WithSummary("Puts the host in a group (rule scopes and staged rollouts), or out of any with null.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<HostResponse>>> ListHosts(InventoryQueries queries, ClaimsPrincipal user, HostAccess access, CancellationToken cancellationToken)
    {
        var hosts = await queries.ListHostsAsync(cancellationToken);
        var visible = await access.VisibleHostsAsync(user, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<HostResponse>>(visible is null ? hosts : [.. hosts.Where(h => visible.Contains(h.Id))]);
    }

    private static async Task<Results<Ok<HostResponse>, ValidationProblem, ProblemHttpResult>> SetGroup(
        string hostId, HostGroupRequest request, HostGroups groups, InventoryQueries queries, CancellationToken cancellationToken)
    {
        var group = string.IsNullOrWhiteSpace(request.Group) ? null : request.Group.Trim();
        if (group is { Length: > 64 } || (group is not null && !group.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["group"] = ["A group name is 1-64 letters, digits, '-', '_' or '.'."] },
                title: "The host group is not valid.");
        }

        if (!await groups.SetAsync(hostId, group, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Host not found", detail: $"No agent with id '{hostId}' has ever connected.");
        }

        return TypedResults.Ok((await queries.GetHostAsync(hostId, cancellationToken))!);
    }

    private static async Task<Results<Ok<HostResponse>, ProblemHttpResult>> GetHost(string hostId, InventoryQueries queries, CancellationToken cancellationToken) =>
        await queries.GetHostAsync(hostId, cancellationToken) is { } host
            ? TypedResults.Ok(host)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Host not found", detail: $"No agent with id '{hostId}' has ever connected.");
}
