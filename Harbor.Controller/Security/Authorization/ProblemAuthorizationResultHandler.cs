using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Harbor.Controller.Security.Authorization;

/// <summary>Turns a refusal into problem+json: 403 names the permission or host the caller lacks.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not allowed",
                detail: reasons.Count > 0 ? string.Join(" ", reasons) : "Your role or API key scopes do not allow this.")
                .ExecuteAsync(context);
        }

        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
