namespace Harbor.Controller.Security.Authorization;

/// <summary>Claim types on a Harbor principal (a user's session or an API key).</summary>
internal static class HarborClaims
{
    /// <summary><c>user</c> or <c>api_key</c>.</summary>
    public const string ActorKind = "harbor:actor_kind";

    /// <summary>One claim per <see cref="Permission"/> the caller holds, already reduced by role, scopes and flags.</summary>
    public const string Permission = "harbor:permission";

    /// <summary>One claim per host group the caller is limited to; none means every host.</summary>
    public const string HostGroup = "harbor:host_group";

    public const string SessionId = "harbor:session";

    /// <summary>The CSRF token a cookie-authenticated write must echo in <c>X-Harbor-Csrf</c>.</summary>
    public const string CsrfToken = "harbor:csrf";

    /// <summary>For an API key: the user who owns it.</summary>
    public const string OwnerUserId = "harbor:owner";

    public const string UserKind = "user";
    public const string ApiKeyKind = "api_key";
}
