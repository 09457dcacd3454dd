using System.Security.Claims;

namespace Harbor.Controller.Security.Authorization;

/// <summary>Builds and reads the principal of a signed-in user or an API key.</summary>
internal static class HarborPrincipal
{
    public static ClaimsPrincipal Create(
        string scheme,
        string kind,
        string id,
        string name,
        IEnumerable<Permission> permissions,
        IEnumerable<string>? hostGroups,
        params Claim[] extra)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, id));
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(HarborClaims.ActorKind, kind));
        identity.AddClaims(permissions.Select(p => new Claim(HarborClaims.Permission, p.ToString())));
        identity.AddClaims((hostGroups ?? []).Select(g => new Claim(HarborClaims.HostGroup, g)));
        identity.AddClaims(extra);
        return new ClaimsPrincipal(identity);
    }

    public static string? Id(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string? Kind(this ClaimsPrincipal user) => user.FindFirstValue(HarborClaims.ActorKind);

    /// <summary>The user behind the caller: the user itself, or the owner of an API key.</summary>
    public static string? UserId(this ClaimsPrincipal user) =>
        user.Kind() == HarborClaims.UserKind ? user.Id() : user.FindFirstValue(HarborClaims.OwnerUserId);

    public static bool IsAdmin(this ClaimsPrincipal user) => HarborAccessHandler.Holds(user, Permission.Admin);

    public static IReadOnlySet<Permission> Permissions(this ClaimsPrincipal user) =>
        user.FindAll(HarborClaims.Permission).Select(c => Enum.Parse<Permission>(c.Value)).ToHashSet();
}
