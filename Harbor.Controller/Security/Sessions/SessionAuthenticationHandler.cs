using System.Security.Claims;
using System.Text.Encodings.Web;
using Harbor.Controller.Features;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Sessions;

/// <summary>Authenticates a browser by its <c>harbor_session</c> cookie against the sessions table.</summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionStore sessions,
    FeatureFlags features) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HarborSession";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(SessionTokens.CookieName, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        if (token.Length > 128)
        {
            return AuthenticateResult.Fail("The session cookie is malformed.");
        }

        var result = await sessions.ValidateAsync(token, Context.RequestAborted);
        if (result.Failure is not null)
        {
            return AuthenticateResult.Fail(result.Failure);
        }

        var user = result.User!;
        var principal = ForUser(user, features, Scheme.Name,
            new Claim(HarborClaims.SessionId, result.Session!.Id),
            new Claim(HarborClaims.CsrfToken, SessionTokens.CsrfTokenFor(token)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
        await AuthenticationProblems.WriteChallengeAsync(Context, (await HandleAuthenticateOnceSafeAsync()).Failure?.Message);

    public static ClaimsPrincipal ForUser(UserRow user, FeatureFlags features, string scheme, params Claim[] extra) =>
        HarborPrincipal.Create(
            scheme,
            HarborClaims.UserKind,
            user.Id,
            user.UserName,
            Roles.PermissionsOf(user.Role, features.RbacEnabled),
            features.RbacEnabled ? UserStore.ParseGroups(user.HostGroups) : null,
            [new Claim(ClaimTypes.Role, features.RbacEnabled ? user.Role : Roles.Admin), .. extra]);
}
