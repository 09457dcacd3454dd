namespace Harbor.Controller.Security.Sessions;

/// <summary>A session as the API lists it. <c>Current</c> marks the session the request came with.</summary>
internal sealed record SessionResponse(
    string Id,
    string UserId,
    string? UserName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? RemoteIp,
    string? UserAgent,
    bool Current);
