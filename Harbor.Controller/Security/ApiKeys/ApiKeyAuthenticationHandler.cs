using System.Security.Claims;
using System.Text.Encodings.Web;
using Harbor.Controller.Features;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.ApiKeys;

/// <summary>Authenticates <c>Authorization: Bearer hbk_…</c>. The key can do what its scopes allow and its owner may do.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    FeatureFlags features) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HarborApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must use the Bearer scheme with a Harbor API key.");
        }

        var result = await keys.AuthenticateAsync(header[bearer.Length..].Trim(), Context.RequestAborted);
        if (result.Failure is not null)
        {
            return AuthenticateResult.Fail(result.Failure);
        }

        var key = result.Key!;
        var owner = result.Owner;
        var ownerPermissions = owner is null ? Roles.AllPermissions : Roles.PermissionsOf(owner.Role, features.RbacEnabled);
        var principal = HarborPrincipal.Create(
            Scheme.Name,
            HarborClaims.ApiKeyKind,
            key.Id,
            key.Name,
            ApiKeyScopes.Effective(ApiKeyStore.ParseScopes(key.Scopes), ownerPermissions),
            owner is not null && features.RbacEnabled ? UserStore.ParseGroups(owner.HostGroups) : null,
            owner is null ? [] : [new Claim(HarborClaims.OwnerUserId, owner.Id)]);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
        await AuthenticationProblems.WriteChallengeAsync(Context, (await HandleAuthenticateOnceSafeAsync()).Failure?.Message);
}
