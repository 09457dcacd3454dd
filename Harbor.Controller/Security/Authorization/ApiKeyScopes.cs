namespace Harbor.Controller.Security.Authorization;

/// <summary>API key scopes and the permissions each grants.</summary>
internal static class ApiKeyScopes
{
    public const string Read = "read";
    public const string Check = "check";
    public const string Update = "update";
    public const string Admin = "admin";
    public const string Webhook = "webhook";

    public static IReadOnlyList<string> All { get; } = [Read, Check, Update, Admin, Webhook];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    public static IEnumerable<Permission> PermissionsOf(string scope) => scope switch
    {
        Read => [Permission.Read],
        Check => [Permission.Check],
        Update => [Permission.Update, Permission.Approve],
        Webhook => [Permission.Webhook],
        Admin => Roles.AllPermissions,
        _ => [],
    };

    /// <summary>What a key may do: its scopes, never more than its owner may do.</summary>
    public static IReadOnlySet<Permission> Effective(IEnumerable<string> scopes, IReadOnlySet<Permission> owner)
    {
        var granted = scopes.SelectMany(PermissionsOf).ToHashSet();
        granted.IntersectWith(owner);
        return granted;
    }
}
