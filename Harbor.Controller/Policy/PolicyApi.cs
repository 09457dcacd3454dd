using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Policy;

/// <summary><c>/api/v1/policy/rules</c> and a container's effective policy.</summary>
internal static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder routes)
    {
        var rules = routes.MapGroup("/api/v1/policy/rules").WithTags("Policy");
        rules.MapGet("/", ListRules).WithName("ListPolicyRules").WithSummary("Every controller-side policy rule.");
        rules.MapPost("/", CreateRule).WithName("CreatePolicyRule").WithSummary("Creates a rule; every setting is validated.");
        rules.MapPost("/preview", PreviewRule).WithName("PreviewPolicyRule").RequirePermission(Permission.Read).WithSummary("The containers a rule would apply to, without saving it.");
        rules.MapGet("/{id:long}", GetRule).WithName("GetPolicyRule");
        rules.MapPut("/{id:long}", UpdateRule).WithName("UpdatePolicyRule");
        rules.MapDelete("/{id:long}", DeleteRule).WithName("DeletePolicyRule");

        routes.MapGet("/api/v1/containers/{hostId}/{container}/policy", ExplainContainer).WithTags("Policy")
            .WithName("GetContainerPolicy").WithSummary("A container's effective policy and, per setting, which label or rule set it.");
        return routes;
    }

    private static async Task<Ok<List<PolicyRuleResponse>>> ListRules(PolicyRuleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<PolicyRuleResponse>, ProblemHttpResult>> GetRule(long id, PolicyRuleStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } rule ? TypedResults.Ok(ToResponse(rule)) : NotFound(id);

    private static async Task<Results<Created<PolicyRuleResponse>, ValidationProblem>> CreateRule(
        PolicyRuleRequest request, PolicyService policy, PolicyRuleStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (draft, errors) = policy.Validate(request);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The rule is not valid.");
        }

        var rule = await store.CreateAsync(draft, cancellationToken);
        // The new rule's id is in no route: name it, as the Rules page does for the rule it creates.
        http.Items[AuditLog.TargetItem] = AuditTargets.Id(rule.Id);
        return TypedResults.Created($"/api/v1/policy/rules/{rule.Id}", ToResponse(rule));
    }

    private static async Task<Results<Ok<PolicyRuleResponse>, ValidationProblem, ProblemHttpResult>> UpdateRule(
        long id, PolicyRuleRequest request, PolicyService policy, PolicyRuleStore store, CancellationToken cancellationToken)
    {
        var (draft, errors) = policy.Validate(request);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The rule is not valid.");
        }

        return await store.UpdateAsync(id, draft, cancellationToken) is { } rule ? TypedResults.Ok(ToResponse(rule)) : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(long id, PolicyRuleStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<RulePreviewResponse>, ValidationProblem>> PreviewRule(
        PolicyRuleRequest request, PolicyService policy, CancellationToken cancellationToken)
    {
        var (draft, errors) = policy.Validate(request);
        return draft is null
            ? TypedResults.ValidationProblem(errors, title: "The rule is not valid.")
            : TypedResults.Ok(await policy.PreviewAsync(draft, cancellationToken));
    }

    private static async Task<Results<Ok<ContainerPolicyResponse>, ProblemHttpResult>> ExplainContainer(
        string hostId, string container, PolicyService policy, CancellationToken cancellationToken) =>
        await policy.ExplainAsync(hostId, container, cancellationToken) is { } explained
            ? TypedResults.Ok(explained)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Container not found", detail: $"Host '{hostId}' has no container '{container}'.");

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Rule not found", detail: $"There is no policy rule #{id}.");

    private static PolicyRuleResponse ToResponse(PolicyRule rule) =>
        new(rule.Id, rule.Name, PolicyRuleStore.ScopeName(rule.Scope.Kind), rule.Scope.Value, rule.Priority, rule.Settings, rule.CreatedAt);
}
