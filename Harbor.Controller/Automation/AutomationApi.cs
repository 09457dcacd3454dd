using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Controller.Automation;

/// <summary><c>/api/v1/approvals</c> and the engine's decisions (<c>/api/v1/automation/decisions</c>).</summary>
internal static class AutomationApi
{
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAutomationApi(this IEndpointRouteBuilder routes)
    {
        var approvals = routes.MapGroup("/api/v1/approvals").WithTags("Approvals");
        approvals.MapGet("/", ListApprovals).WithName("ListApprovals")
            .WithSummary("Approvals, newest first; filter with ?state=pending|approved|rejected|expired and ?host=<id>.");
        approvals.MapGet("/{id}", GetApproval).WithName("GetApproval");
        approvals.MapPost("/{id}/approve", Approve).WithName("ApproveUpdate").RequirePermission(Permission.Approve)
            .WithSummary("Approves a pending update and starts its digest-pinned job at once (the job id is in the answer).");
        approvals.MapPost("/{id}/reject", Reject).WithName("RejectUpdate").RequirePermission(Permission.Approve)
            .WithSummary("Rejects a pending update; Harbor does not ask about that digest for that container again.");

        routes.MapGet("/api/v1/automation/decisions", ListDecisions).WithTags("Automation").WithName("ListAutomationDecisions")
            .WithSummary("Per container with an update: what the engine last decided and why (e.g. waiting for the maintenance window). " +
                         "Filter with ?host=<id> and ?action=none|notify|approve|update|wait|blocked|error.");
        routes.MapGet("/api/v1/rollouts", ListRollouts).WithTags("Automation").WithName("ListRollouts")
            .WithSummary("Staged rollouts across host groups, newest first: stage, soak, and for a halted one the job that stopped it. Filter with ?state=active|soaking|completed|halted.");
        routes.MapPost("/api/v1/automation/evaluate", Evaluate).WithTags("Automation").WithName("EvaluateAutomation").RequirePermission(Permission.Update)
            .WithSummary("Runs one automation pass now and returns its decisions.");
        return routes;
    }

    private static async Task<Results<Ok<List<ApprovalResponse>>, ValidationProblem>> ListApprovals(
        [FromQuery] string? state, [FromQuery] string? host, [FromQuery] int? limit, ApprovalStore store, HostAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !ApprovalRow.States.Contains(state))
        {
            errors["state"] = [$"'{state}' is not an approval state; use one of: {string.Join(", ", ApprovalRow.States)}."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Between 1 and {MaxLimit}."];
        }

        var visible = await access.VisibleHostsAsync(user, cancellationToken);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The approval query is not valid.")
            : TypedResults.Ok((await store.ListAsync(state, host, limit ?? 100, cancellationToken))
                .Where(a => visible is null || visible.Contains(a.HostId)).Select(ApprovalResponse.From).ToList());
    }

    private static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> GetApproval(
        string id, ApprovalStore store, HostAccess access, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row && await access.CanAccessAsync(user, row.HostId, cancellationToken)
            ? TypedResults.Ok(ApprovalResponse.From(row))
            : NotFound(id);

    private static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> Approve(
        string id, ApprovalDecisionRequest? request, HttpContext http, ApprovalStore store, HostAccess access, ApprovalService approvals, CancellationToken cancellationToken) =>
        await MayDecideAsync(id, http, store, access, cancellationToken)
            ? Answer(await approvals.ApproveAsync(id, DecidedBy(http), request?.Comment, cancellationToken))
            : NotFound(id);

    private static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> Reject(
        string id, ApprovalDecisionRequest? request, HttpContext http, ApprovalStore store, HostAccess access, ApprovalService approvals, CancellationToken cancellationToken) =>
        await MayDecideAsync(id, http, store, access, cancellationToken)
            ? Answer(await approvals.RejectAsync(id, DecidedBy(http), request?.Comment, cancellationToken))
            : NotFound(id);

    /// <summary>An approval on a host outside the caller's host groups is answered as if it did not exist.</summary>
    private static async Task<bool> MayDecideAsync(string id, HttpContext http, ApprovalStore store, HostAccess access, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is not { } row || await access.CanAccessAsync(http.User, row.HostId, cancellationToken);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Approval not found", detail: $"There is no approval '{id}'.");

    private static async Task<Results<Ok<List<AutomationDecisionResponse>>, ValidationProblem>> ListDecisions(
        [FromQuery] string? host, [FromQuery] string? action, AutomationStore store, CancellationToken cancellationToken)
    {
        var actions = Enum.GetValues<AutomationAction>().Select(AutomationEngine.Name).ToList();
        if (action is not null && !actions.Contains(action))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["action"] = [$"'{action}' is not an action; use one of: {string.Join(", ", actions)}."] },
                title: "The decision query is not valid.");
        }

        return TypedResults.Ok((await store.ListDecisionsAsync(host, action, cancellationToken)).Select(AutomationDecisionResponse.From).ToList());
    }

    private static async Task<Results<Ok<IReadOnlyList<RolloutResponse>>, ValidationProblem>> ListRollouts(
        [FromQuery] string? state, [FromQuery] int? limit, RolloutCoordinator rollouts, CancellationToken cancellationToken)
    {
        string[] states = [RolloutRow.Active, RolloutRow.Soaking, RolloutRow.Completed, RolloutRow.Halted];
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !states.Contains(state))
        {
            errors["state"] = [$"'{state}' is not a rollout state; use one of: {string.Join(", ", states)}."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Between 1 and {MaxLimit}."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The rollout query is not valid.")
            : TypedResults.Ok(await rollouts.ListAsync(state, limit ?? 100, cancellationToken));
    }

    private static async Task<Ok<List<AutomationDecisionResponse>>> Evaluate(AutomationEngine engine, CancellationToken cancellationToken) =>
        TypedResults.Ok((await engine.EvaluateAsync(cancellationToken)).Select(AutomationDecisionResponse.From).ToList());

    private static Results<Ok<ApprovalResponse>, ProblemHttpResult> Answer(ApprovalOutcome outcome) =>
        outcome.Approval is { } approval
            ? TypedResults.Ok(approval)
            : TypedResults.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail);

    /// <summary>Who decided: the authenticated user once authentication lands, "anonymous" until then.</summary>
    private static string DecidedBy(HttpContext http) => http.User.ActorName();
}
