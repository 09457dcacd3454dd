using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Sessions;

/// <summary><c>/api/v1/sessions</c>: a user lists and ends their own sessions; an admin anyone's.</summary>
internal static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/sessions").WithTags("Sessions").RequirePermission(Permission.Account);
        group.MapGet("/", ListSessions).WithName("ListSessions")
            .WithSummary("The caller's active sessions; admins may pass userId, or all=true for everyone's.");
        group.MapDelete("/{sessionId}", RevokeSession).WithName("RevokeSession")
            .WithSummary("Ends a session at once: its next request is refused.");
        return group;
    }

    internal static async Task<Results<Ok<IReadOnlyList<SessionResponse>>, ProblemHttpResult>> ListSessions(
        string? userId, bool? all, ClaimsPrincipal caller, SessionStore sessions, CancellationToken cancellationToken)
    {
        var self = caller.UserId();
        if ((all == true || (userId is not null && userId != self)) && !caller.IsAdmin())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only an admin can list other users' sessions.");
        }

        var owner = all == true ? null : userId ?? self;
        if (owner is null && all != true)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Whose sessions?", detail: "This API key has no owner; pass userId or all=true.");
        }

        return TypedResults.Ok(await sessions.ListActiveAsync(owner, caller.FindFirstValue(HarborClaims.SessionId), cancellationToken));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeSession(
        string sessionId, ClaimsPrincipal caller, SessionStore sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken);

        // Someone else's session answers like a missing one: a non-admin learns nothing about other users' ids.
        if (session is null || (session.UserId != caller.UserId() && !caller.IsAdmin()) || session.RevokedAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"No active session '{sessionId}' of yours.");
        }

        await sessions.RevokeAsync(sessionId, caller.Id()!, cancellationToken);
        return TypedResults.NoContent();
    }
}
