using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Updates;

/// <summary>
/// Starting updates and rollbacks of one container, its history and blocked digests
/// (<c>/api/v1/containers/{host}/{container}/…</c>), and the jobs themselves (<c>/api/v1/jobs</c>).
/// </summary>
internal static class UpdatesApi
{
    public static IEndpointRouteBuilder MapUpdatesApi(this IEndpointRouteBuilder routes)
    {
        var containers = routes.MapGroup("/api/v1/containers").WithTags("Updates");
        containers.MapPost("/{hostId}/{container}/update", StartUpdate).WithName("UpdateContainer").RequirePermission(Permission.Update)
            .WithSummary("Replace the container's image with an exact digest, keeping its settings; verified, rolled back on failure.");
        containers.MapPost("/{hostId}/{container}/rollback", StartRollback).WithName("RollbackContainer").RequirePermission(Permission.Update)
            .WithSummary("Go back to the image the container ran before Harbor's last successful job on it, with the same settings.");
        containers.MapGet("/{hostId}/{container}/history", History).WithName("ContainerHistory")
            .WithSummary("Every job for this container (by name, so it spans the ids updates create), newest first.");
        containers.MapGet("/{hostId}/{container}/blocked-digests", BlockedDigests).WithName("ListBlockedDigests")
            .WithSummary("Digests that failed verification on this container and will not be installed there again.");
        containers.MapDelete("/{hostId}/{container}/blocked-digests/{digest}", ClearBlockedDigest).WithName("ClearBlockedDigest").RequirePermission(Permission.Update)
            .WithSummary("Allow a blocked digest on this container again.");

        var jobs = routes.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListJobs).WithName("ListJobs").WithSummary("Update jobs, newest first, filtered by host, container, state, outcome and kind.");
        jobs.MapGet("/{jobId}", GetJob).WithName("GetJob").WithSummary("One job with every step, its timing and its event log.");
        return routes;
    }

    private static async Task<Results<Accepted<JobResponse>, ProblemHttpResult, ValidationProblem>> StartUpdate(
        string hostId, string container, UpdateRequest? request, HttpContext http, UpdateJobService updates, CancellationToken cancellationToken) =>
        Answer(await updates.StartUpdateAsync(hostId, container, request ?? new UpdateRequest(), RequestedBy(http), cancellationToken));

    private static async Task<Results<Accepted<JobResponse>, ProblemHttpResult, ValidationProblem>> StartRollback(
        string hostId, string container, RollbackRequest? request, HttpContext http, UpdateJobService updates, CancellationToken cancellationToken) =>
        Answer(await updates.StartRollbackAsync(hostId, container, request ?? new RollbackRequest(), RequestedBy(http), cancellationToken));

    private static async Task<Results<Ok<PagedResponse<JobResponse>>, ValidationProblem>> History(
        string hostId, string container, int? page, int? pageSize, InventoryQueries inventory, JobQueries jobs, CancellationToken cancellationToken)
    {
        var query = new JobQuery { Host = hostId, Container = await NameOfAsync(hostId, container, inventory, cancellationToken), Page = page, PageSize = pageSize };
        var errors = query.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The history query is not valid.")
            : TypedResults.Ok(await jobs.ListAsync(query, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<BlockedDigestResponse>>> BlockedDigests(
        string hostId, string container, InventoryQueries inventory, JobQueries jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.BlockedDigestsAsync(hostId, await NameOfAsync(hostId, container, inventory, cancellationToken), cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> ClearBlockedDigest(
        string hostId, string container, string digest, InventoryQueries inventory, JobQueries jobs, CancellationToken cancellationToken)
    {
        var name = await NameOfAsync(hostId, container, inventory, cancellationToken);
        return await jobs.ClearBlockedDigestAsync(hostId, name, digest, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Digest not blocked",
                detail: $"{digest} is not blocked on '{name}' (host '{hostId}').");
    }

    private static async Task<Results<Ok<PagedResponse<JobResponse>>, ValidationProblem>> ListJobs(
        [AsParameters] JobQuery query, JobQueries jobs, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The job query is not valid.")
            : TypedResults.Ok(await jobs.ListAsync(query, cancellationToken));
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string jobId, JobQueries jobs, CancellationToken cancellationToken) =>
        await jobs.GetAsync(jobId, cancellationToken) is { } job
            ? TypedResults.Ok(job)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"There is no job '{jobId}'.");

    private static Results<Accepted<JobResponse>, ProblemHttpResult, ValidationProblem> Answer(JobStart start)
    {
        if (start.Job is { } job)
        {
            return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", job);
        }

        if (start.Field is { } field)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [start.Detail!] }, title: start.Title);
        }

        return TypedResults.Problem(statusCode: start.Status, title: start.Title, detail: start.Detail);
    }

    /// <summary>The container's name (history is kept by name); a name no longer in the inventory is taken as given.</summary>
    private static async Task<string> NameOfAsync(string hostId, string container, InventoryQueries inventory, CancellationToken cancellationToken) =>
        (await inventory.FindContainerAsync(hostId, container, cancellationToken)).Container?.Name ?? container;

    /// <summary>Who asked: the authenticated user once authentication lands, "anonymous" until then.</summary>
    /// <summary>Who asked, as job history shows it: a user name, or an API key's name marked as one.</summary>
    private static string RequestedBy(HttpContext http) => http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
        ? http.User.Kind() == HarborClaims.ApiKeyKind ? $"api-key:{name}" : name
        : "anonymous";
}
