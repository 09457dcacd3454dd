using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Inventory;

/// <summary><c>/api/v1/containers</c>: the last known containers of every host.</summary>
internal static class ContainersApi
{
    public static RouteGroupBuilder MapContainersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/containers").WithTags("Containers");
        group.MapGet("/", ListContainers).WithName("ListContainers")
            .WithSummary("Containers on every host with their update status, filtered by host, name, state and update status, one page at a time.");
        group.MapGet("/{hostId}/{container}", GetContainer).WithName("GetContainer")
            .WithSummary("One container by id, name or an id prefix of at least 12 characters.");
        return group;
    }

    private static async Task<Results<Ok<PagedResponse<ContainerResponse>>, ValidationProblem>> ListContainers(
        [AsParameters] ContainerQuery query, InventoryQueries queries, ClaimsPrincipal user, HostAccess access, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The container query is not valid.");
        }

        return TypedResults.Ok(await queries.ListContainersAsync(query, await access.VisibleHostsAsync(user, cancellationToken), cancellationToken));
    }

    private static async Task<Results<Ok<ContainerResponse>, ProblemHttpResult>> GetContainer(
        string hostId, string container, InventoryQueries queries, CancellationToken cancellationToken)
    {
        var lookup = await queries.FindContainerAsync(hostId, container, cancellationToken);
        if (lookup.Container is not null)
        {
            return TypedResults.Ok(lookup.Container);
        }

        return lookup.Ambiguous
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Ambiguous container id",
                detail: $"More than one container on host '{hostId}' starts with '{container}'. Use more characters or the full id.")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Container not found",
                detail: $"Host '{hostId}' has no container '{container}'.");
    }
}
