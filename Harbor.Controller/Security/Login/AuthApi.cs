using System.Globalization;
using System.Security.Claims;
using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Sessions;
using Harbor.Controller.Security.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Login;

/// <summary><c>/api/v1/auth</c>: sign in, sign out, who am I, change my password.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Authentication");
        group.MapPost("/login", Login).WithName("Login")
            .WithSummary("Signs in with user name and password (and a TOTP or recovery code when MFA is on); sets the session cookie.");
        group.MapPost("/logout", Logout).WithName("Logout").RequirePermission(Permission.Account)
            .WithSummary("Ends the current session.");
        group.MapGet("/me", Me).WithName("GetCurrentCaller").RequirePermission(Permission.Read)
            .WithSummary("Who the caller is, what it may do, and (for a session) its CSRF token.");
        group.MapPost("/password", ChangePassword).WithName("ChangeOwnPassword").RequirePermission(Permission.Account)
            .WithSummary("Changes the caller's password; every other session of the user is ended.");
        return group;
    }

    private static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext context, LoginService login, SignIn signIn, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userName = request.UserName?.Trim() ?? "";
        context.Items[AuditLog.DetailItem] = "user name: " + (userName.Length > 64 ? userName[..64] : userName);
        if (userName.Length == 0 || string.IsNullOrEmpty(request.Password) || request.Password.Length > PasswordPolicy.MaxLength)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "User name and password are required.");
        }

        var outcome = await login.SignInAsync(userName, request.Password, request.Code, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (outcome)
        {
            case LoginOutcome.Success success:
                return TypedResults.Ok(await signIn.StartSessionAsync(context, success.User));
            case LoginOutcome.SecondFactorRequired:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Two-factor code required",
                    detail: "Send the 6-digit code from your authenticator app (or a recovery code) as 'code'.",
                    extensions: new Dictionary<string, object?> { ["mfaRequired"] = true });
            case LoginOutcome.Locked locked:
                var seconds = Math.Max(1, (int)Math.Ceiling((locked.Until - clock.GetUtcNow()).TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many failed sign-ins",
                    detail: "Sign-in is locked for a while after repeated failures. Try again later.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid user name or password.");
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Logout(
        ClaimsPrincipal user, HttpContext context, SessionStore sessions, SessionCookie cookie, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(HarborClaims.SessionId) is not { } sessionId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a session",
                detail: "This call was made with an API key; revoke the key instead (DELETE /api/v1/api-keys/{keyId}).");
        }

        await sessions.RevokeAsync(sessionId, user.Id()!, cancellationToken);
        cookie.Delete(context);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeResponse>> Me(ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken)
    {
        var isUser = user.Kind() == HarborClaims.UserKind;
        var row = isUser ? await users.FindByIdAsync(user.Id()!, cancellationToken) : null;
        var groups = HostAccess.GroupsOf(user);
        return TypedResults.Ok(new MeResponse(
            user.Kind()!,
            user.Id()!,
            user.FindFirstValue(ClaimTypes.Name)!,
            user.FindFirstValue(ClaimTypes.Role),
            [.. user.Permissions().Order().Select(p => p.ToString())],
            groups.Count == 0 ? null : groups,
            user.FindFirstValue(HarborClaims.SessionId),
            user.FindFirstValue(HarborClaims.CsrfToken),
            row is null ? null : row.TotpEnabled != 0));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal user, UserStore users, PasswordHashing passwords, PasswordPolicy policy,
        SessionStore sessions, CancellationToken cancellationToken)
    {
        if (user.Kind() != HarborClaims.UserKind || await users.FindByIdAsync(user.Id()!, cancellationToken) is not { } row)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Only a signed-in user can change a password.");
        }

        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > PasswordPolicy.MaxLength
            || !passwords.Verify(row.PasswordHash, request.CurrentPassword, out _))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The current password is wrong.");
        }

        if (policy.Check(request.NewPassword, row.UserName) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = [problem] });
        }

        await users.SetPasswordHashAsync(row.Id, passwords.Hash(request.NewPassword!), cancellationToken);
        await sessions.RevokeAllAsync(row.Id, row.Id, user.FindFirstValue(HarborClaims.SessionId), cancellationToken);
        return TypedResults.NoContent();
    }
}
