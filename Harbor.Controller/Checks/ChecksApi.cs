using System.Security.Claims;
using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary><c>/api/v1/checks</c>: start an update check (everything, a host, a container) and follow it.</summary>
internal static class ChecksApi
{
    public const int MaxListLimit = 500;

    public static RouteGroupBuilder MapChecksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/checks").WithTags("Checks");
        group.MapPost("/", Start).WithName("StartCheck").RequirePermission(Permission.Check)
            .WithSummary("Checks for updates: everything (empty body), one host ({hostId}) or one container ({hostId, containerId}). Answers 202 with the run.");
        group.MapGet("/schedule", Schedule).WithName("GetCheckSchedule").WithSummary("When the scheduled checks run next (everything, and containers on their own schedule).");
        group.MapGet("/{id}", Get).WithName("GetCheck").WithSummary("A check run with its progress and result counts.");
        group.MapGet("/", List).WithName("ListChecks").WithSummary("The most recent check runs, newest first.");
        return group;
    }

    private static async Task<Results<Accepted<CheckRunResponse>, ValidationProblem, ProblemHttpResult>> Start(
        StartCheckRequest? request, CheckService checks, InventoryQueries inventory, HostAccess access, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        // The scope is in the body, which the audit middleware does not read; the page's check records the same target.
        http.Items[AuditLog.TargetItem] = AuditTargets.Check(request?.HostId, request?.ContainerId);
        // A caller limited to host groups may not name other hosts, as on every route with a host id.
        if (request?.HostId is { } named && !await access.CanAccessAsync(user, named, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: $"Host '{named}' is outside your host groups.");
        }

        var scope = CheckScope.All;
        if (request?.ContainerId is { } container)
        {
            if (string.IsNullOrWhiteSpace(request.HostId))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["hostId"] = ["hostId is required with containerId (container ids are per host)."] },
                    title: "The check request is not valid.");
            }

            var lookup = await inventory.FindContainerAsync(request.HostId, container, cancellationToken);
            if (lookup.Container is null)
            {
                return lookup.Ambiguous
                    ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Ambiguous container id",
                        detail: $"More than one container on host '{request.HostId}' starts with '{container}'. Use more characters or the full id.")
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Container not found",
                        detail: $"Host '{request.HostId}' has no container '{container}'.");
            }

            scope = CheckScope.ForContainer(request.HostId, lookup.Container.Id);
            http.Items[AuditLog.TargetItem] = AuditTargets.Check(request.HostId, lookup.Container.Id);
        }
        else if (request?.HostId is { } hostId)
        {
            if (await inventory.GetHostAsync(hostId, cancellationToken) is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Host not found", detail: $"No agent with id '{hostId}' has ever connected.");
            }

            scope = CheckScope.ForHost(hostId);
        }

        var run = await checks.StartAsync(scope, CheckTrigger.Api, cancellationToken);
        return run is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many checks queued",
                detail: "The check queue is full; wait for the queued checks to finish and ask again.")
            : TypedResults.Accepted($"/api/v1/checks/{run.Id}", run);
    }

    private static Ok<CheckScheduleResponse> Schedule(ScheduledCheckPlan plan, IOptions<CheckOptions> options) => TypedResults.Ok(plan.Describe(options.Value));

    private static async Task<Results<Ok<CheckRunResponse>, ProblemHttpResult>> Get(string id, CheckService checks, CancellationToken cancellationToken) =>
        await checks.GetAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Check not found", detail: $"There is no check run with id '{id}'.");

    private static async Task<Results<Ok<IReadOnlyList<CheckRunResponse>>, ValidationProblem>> List(int? limit, CheckService checks, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxListLimit}."] }, title: "The query is not valid.");
        }

        return TypedResults.Ok(await checks.ListAsync(limit ?? 20, cancellationToken));
    }
}
