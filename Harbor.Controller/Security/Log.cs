namespace Harbor.Controller.Security;

/// <summary>
/// Security log events. Event ids: 7xxx. Secrets never appear here, with one deliberate exception:
/// the first-run setup token, which the log exists to hand to the operator (it is single-use and dies
/// as soon as the first admin exists).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Warning,
        "No user exists yet. Create the first admin with this one-time setup token: {SetupToken} " +
        "(POST /api/v1/setup with {{\"setupToken\", \"userName\", \"password\"}}). It works once, only while no user exists; a restart prints a new one.",
        EventName = "SetupTokenIssued")]
    public static partial void SetupTokenIssued(ILogger logger, string setupToken);

    [LoggerMessage(7002, LogLevel.Information, "First admin {UserName} created from {RemoteIp}; the setup token is spent", EventName = "SetupCompleted")]
    public static partial void SetupCompleted(ILogger logger, string userName, string? remoteIp);

    [LoggerMessage(7003, LogLevel.Warning, "Setup attempt from {RemoteIp} refused: {Reason}", EventName = "SetupRejected")]
    public static partial void SetupRejected(ILogger logger, string? remoteIp, string reason);

    [LoggerMessage(7010, LogLevel.Information, "{UserName} signed in from {RemoteIp}", EventName = "SignedIn")]
    public static partial void SignedIn(ILogger logger, string userName, string? remoteIp);

    [LoggerMessage(7011, LogLevel.Warning, "Sign-in as {UserName} from {RemoteIp} failed: {Reason}", EventName = "SignInFailed")]
    public static partial void SignInFailed(ILogger logger, string userName, string? remoteIp, string reason);

    [LoggerMessage(7012, LogLevel.Warning, "Sign-in locked for {Key} until {Until} after repeated failures", EventName = "SignInLocked")]
    public static partial void SignInLocked(ILogger logger, string key, DateTimeOffset until);

    [LoggerMessage(7020, LogLevel.Information, "Data Protection keys (they encrypt secrets at rest) are in {Path}, owner-only", EventName = "DataProtectionKeys")]
    public static partial void DataProtectionKeys(ILogger logger, string path);

    [LoggerMessage(7030, LogLevel.Information, "Created the controller's agent CA, fingerprint SHA-256 {Fingerprint}", EventName = "CaCreated")]
    public static partial void CaCreated(ILogger logger, string fingerprint);

    [LoggerMessage(7031, LogLevel.Information, "Agent CA fingerprint SHA-256 {Fingerprint}; the agent hub serves TLS and requires enrolled agents", EventName = "CaLoaded")]
    public static partial void CaLoaded(ILogger logger, string fingerprint);

    [LoggerMessage(7032, LogLevel.Information, "Agent {AgentId} ({HostName}) enrolled from {Peer} with token {TokenId}", EventName = "AgentEnrolled")]
    public static partial void AgentEnrolled(ILogger logger, string agentId, string hostName, string peer, string tokenId);

    [LoggerMessage(7033, LogLevel.Warning, "Enrollment from {Peer} refused: {Reason}", EventName = "AgentEnrollmentRejected")]
    public static partial void AgentEnrollmentRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(7034, LogLevel.Warning, "Agent {AgentId} revoked by {By}; its stream is ended and it cannot reconnect", EventName = "AgentRevoked")]
    public static partial void AgentRevoked(ILogger logger, string agentId, string by);

    [LoggerMessage(7035, LogLevel.Warning,
        "DEVELOPMENT MODE: agents authenticate with the shared Harbor:Controller:Agents:DevToken over plain HTTP/2, without enrollment or TLS. Never use this outside development.",
        EventName = "AgentDevMode")]
    public static partial void AgentDevMode(ILogger logger);

    [LoggerMessage(7036, LogLevel.Warning, "Could not record the last use of agent {AgentId}'s credential; the agent is connected all the same", EventName = "CredentialUseNotRecorded")]
    public static partial void CredentialUseNotRecorded(ILogger logger, Exception exception, string agentId);

    [LoggerMessage(7037, LogLevel.Information, "Wrote enrollment token {TokenId} for the local agent to {Path} (expires {ExpiresAt:u})", EventName = "LocalAgentTokenWritten")]
    public static partial void LocalAgentTokenWritten(ILogger logger, string path, string tokenId, DateTimeOffset expiresAt);

    [LoggerMessage(7038, LogLevel.Information, "Kept the local agent's enrollment token {TokenId} in {Path} ({Status})", EventName = "LocalAgentTokenKept")]
    public static partial void LocalAgentTokenKept(ILogger logger, string path, string tokenId, string status);

    [LoggerMessage(7040, LogLevel.Error, "Could not write the audit event for {Action}", EventName = "AuditWriteFailed")]
    public static partial void AuditWriteFailed(ILogger logger, Exception exception, string action);
}
