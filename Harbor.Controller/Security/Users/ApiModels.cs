namespace Harbor.Controller.Security.Users;

internal sealed record CreateUserRequest(string? UserName, string? Password, string? Role, List<string>? HostGroups);

/// <summary>Only the fields given change. <c>HostGroups</c>: an empty list lifts the limit (every host).</summary>
internal sealed record UpdateUserRequest(string? Role, List<string>? HostGroups, bool? Disabled);

internal sealed record ResetPasswordRequest(string? NewPassword);

internal sealed record HostGroupMembersRequest(List<string>? HostIds);
