namespace Harbor.Controller.Security.Users;

/// <summary>A user as the API shows it: never the password hash or the TOTP secret.</summary>
internal sealed record UserResponse(
    string Id,
    string UserName,
    string Role,
    IReadOnlyList<string>? HostGroups,
    bool MfaEnabled,
    bool Disabled,
    DateTimeOffset CreatedAt);
