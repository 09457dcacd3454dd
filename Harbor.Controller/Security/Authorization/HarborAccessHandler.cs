using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;

namespace Harbor.Controller.Security.Authorization;

/// <summary>
/// Decides every request: public endpoints pass; gRPC methods pass here because the agent
/// interceptor authenticates them; everything else needs a signed-in caller holding the endpoint's
/// permission and, for routes naming a <c>{hostId}</c>, access to that host.
/// </summary>
internal sealed class HarborAccessHandler(HostAccess hostAccess) : AuthorizationHandler<HarborAccessRequirement>
{
    public const string HostIdRouteValue = "hostId";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, HarborAccessRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var endpoint = http?.GetEndpoint();
        if (PublicEndpoints.IsPublic(endpoint, http?.Request.Method ?? "") || endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
        {
            context.Succeed(requirement);
            return;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var required = endpoint?.Metadata.GetMetadata<RequiredPermission>()?.Permission ?? DefaultFor(http?.Request.Method);
        if (!Holds(context.User, required))
        {
            context.Fail(new AuthorizationFailureReason(this, $"This needs the '{required}' permission."));
            return;
        }

        if (http?.Request.RouteValues.TryGetValue(HostIdRouteValue, out var hostId) == true
            && hostId is string host
            && !await hostAccess.CanAccessAsync(context.User, host, http.RequestAborted))
        {
            context.Fail(new AuthorizationFailureReason(this, $"Host '{host}' is outside your host groups."));
            return;
        }

        context.Succeed(requirement);
    }

    /// <summary>Endpoints that declare nothing: reading needs Read, anything else needs Admin.</summary>
    public static Permission DefaultFor(string? method) =>
        HttpMethods.IsGet(method ?? "") || HttpMethods.IsHead(method ?? "") ? Permission.Read : Permission.Admin;

    public static bool Holds(ClaimsPrincipal user, Permission permission) =>
        user.HasClaim(HarborClaims.Permission, permission.ToString());
}
