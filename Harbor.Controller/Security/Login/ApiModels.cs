using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Login;

internal sealed record LoginRequest(string? UserName, string? Password, string? Code);

/// <summary>Answer to sign-in and setup: the user, the CSRF token for cookie-authenticated writes, and when the session ends at the latest.</summary>
internal sealed record SignInResponse(UserResponse User, string CsrfToken, DateTimeOffset ExpiresAt);

internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Who the caller is and what it may do.</summary>
internal sealed record MeResponse(
    string Kind,
    string Id,
    string Name,
    string? Role,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string>? HostGroups,
    string? SessionId,
    string? CsrfToken,
    bool? MfaEnabled);
