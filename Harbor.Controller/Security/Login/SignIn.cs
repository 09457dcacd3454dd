using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Sessions;
using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Login;

/// <summary>Starts a session for a user who proved who they are (sign-in or first-run setup).</summary>
internal sealed class SignIn(SessionStore sessions, SessionCookie cookie)
{
    public async Task<SignInResponse> StartSessionAsync(HttpContext context, UserRow user)
    {
        var session = await sessions.CreateAsync(
            user.Id, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), context.RequestAborted);
        cookie.Append(context, session);
        context.Items[AuditLog.ActorItem] = (AuditActors.User, user.Id, user.UserName);
        return new SignInResponse(UserStore.ToResponse(user), session.CsrfToken, Data.DbTime.Parse(session.Row.ExpiresAt));
    }
}
