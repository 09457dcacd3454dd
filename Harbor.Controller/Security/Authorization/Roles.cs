namespace Harbor.Controller.Security.Authorization;

/// <summary>The three roles and what each may do (with <c>enable_rbac</c> off every user is an admin).</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Viewer];

    public static bool IsKnown(string? role) => role is Admin or Operator or Viewer;

    public static IReadOnlySet<Permission> PermissionsOf(string role, bool rbacEnabled) => (rbacEnabled ? role : Admin) switch
    {
        Admin => AllPermissions,
        Operator => new HashSet<Permission> { Permission.Read, Permission.Check, Permission.Update, Permission.Approve, Permission.Account },
        Viewer => new HashSet<Permission> { Permission.Read, Permission.Account },
        _ => new HashSet<Permission>(),
    };

    public static IReadOnlySet<Permission> AllPermissions { get; } = Enum.GetValues<Permission>().ToHashSet();
}
