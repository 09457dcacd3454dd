using Harbor.Controller.Security.Authorization;

using Harbor.Controller.Web;

namespace Harbor.Controller.Security.Sessions;

/// <summary>
/// A write authenticated by the session cookie must echo the session's CSRF token in
/// <c>X-Harbor-Csrf</c>. API-key (Bearer) calls are exempt: a browser never attaches them on its own.
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe
            && !WebCsrf.IsProtectedByTheUi(context)
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: SessionAuthenticationHandler.SchemeName }
            && context.User.FindFirst(HarborClaims.CsrfToken)?.Value is { } expected)
        {
            var presented = context.Request.Headers[SessionTokens.CsrfHeader].ToString();
            if (presented.Length == 0 || !SessionTokens.FixedTimeEquals(presented, expected))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Missing or wrong CSRF token",
                    detail: $"A change made with a session cookie must send the session's CSRF token (from sign-in or GET /api/v1/auth/me) in the {SessionTokens.CsrfHeader} header.")
                    .ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
