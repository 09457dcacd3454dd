using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Sessions;

/// <summary>Writes and clears the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS (or always).</summary>
internal sealed class SessionCookie(IOptions<SecurityOptions> options)
{
    public void Append(HttpContext context, NewSession session) =>
        context.Response.Cookies.Append(SessionTokens.CookieName, session.Token, Options(context, Data.DbTime.Parse(session.Row.ExpiresAt)));

    public void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(SessionTokens.CookieName, Options(context, null));

    private CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = options.Value.SecureCookie == CookieSecurePolicy.Always || context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
