using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Harbor.Controller.Web;

/// <summary>
/// A browser asking for a UI page without signing in is sent to the sign-in page (and back after),
/// or to the first-run wizard while no admin exists;
/// every other refusal — the API, the Blazor circuit, a signed-in user lacking a permission — is
/// answered as the API answers it (problem+json).
/// </summary>
internal sealed class WebAuthorizationResultHandler(ProblemAuthorizationResultHandler api, FirstRunSetup setup) : IAuthorizationMiddlewareResultHandler
{
    public const string LoginPath = "/login";
    public const string SetupPath = "/setup";

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded
            && context.User.Identity?.IsAuthenticated != true
            && HttpMethods.IsGet(context.Request.Method)
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            // Before the first admin exists nobody can sign in: the first-run wizard is the way in.
            context.Response.Redirect(setup.Pending
                ? SetupPath
                : LoginPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        return api.HandleAsync(next, context, policy, authorizeResult);
    }
}
