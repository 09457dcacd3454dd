namespace Harbor.Controller.Diagnostics;

/// <summary>The controller's structured log events. Event ids: 1xxx agents, 2xxx inventory, 3xxx updates, 9xxx data.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Agent {AgentId} connected from {Peer}: host {HostName}, agent {AgentVersion}, Docker {EngineVersion} (Engine API {EngineApiVersion})", EventName = "AgentConnected")]
    public static partial void AgentConnected(ILogger logger, string agentId, string hostName, string agentVersion, string engineVersion, string engineApiVersion, string peer);

    [LoggerMessage(1002, LogLevel.Information, "Agent {AgentId} disconnected: {Reason}", EventName = "AgentDisconnected")]
    public static partial void AgentDisconnected(ILogger logger, string agentId, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Rejected an agent stream from {Peer}: {Reason}", EventName = "AgentRejected")]
    public static partial void AgentRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Agent {AgentId} has been silent for {SilentFor}; marking its host offline", EventName = "AgentSilent")]
    public static partial void AgentSilent(ILogger logger, string agentId, TimeSpan silentFor);

    [LoggerMessage(1006, LogLevel.Warning, "Refused the stream of agent {AgentId} from {Peer}: {Reason}", EventName = "AgentIdentityMismatch")]
    public static partial void AgentIdentityMismatch(ILogger logger, string agentId, string peer, string reason);

    [LoggerMessage(2001, LogLevel.Warning, "Inventory gap from agent {AgentId}: {Reason}; asking for a fresh snapshot", EventName = "InventoryGap")]
    public static partial void InventoryGap(ILogger logger, string agentId, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Storing inventory failed (attempt {Attempt}); retrying", EventName = "InventoryWriteRetry")]
    public static partial void InventoryWriteRetry(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(2003, LogLevel.Error, "Storing inventory failed for good; asked {HostCount} agents for a fresh snapshot", EventName = "InventoryWriteFailed")]
    public static partial void InventoryWriteFailed(ILogger logger, Exception exception, int hostCount);

    [LoggerMessage(3001, LogLevel.Information, "Job {JobId} ({Kind}) created for {Container} on host {HostId}: {TargetImage}, requested by {RequestedBy}", EventName = "JobCreated")]
    public static partial void JobCreated(ILogger logger, string jobId, string kind, string hostId, string container, string targetImage, string requestedBy);

    [LoggerMessage(3002, LogLevel.Information, "Job {JobId} for {Container} on host {HostId} finished: {Outcome}. {Reason}", EventName = "JobFinished")]
    public static partial void JobFinished(ILogger logger, string jobId, string hostId, string container, string outcome, string reason);

    [LoggerMessage(3003, LogLevel.Information, "Job {JobId} sent again to the reconnected agent {AgentId}", EventName = "JobRedelivered")]
    public static partial void JobRedelivered(ILogger logger, string jobId, string agentId);

    [LoggerMessage(3010, LogLevel.Warning, "Job {JobId} on host {HostId} refused by the controller: {Reason}", EventName = "JobRefusedByController")]
    public static partial void JobRefusedByController(ILogger logger, string jobId, string hostId, string reason);

    [LoggerMessage(3011, LogLevel.Error, "Acting on the end of job {JobId} (next restart, dependents to restart) failed", EventName = "AfterJobFailed")]
    public static partial void AfterJobFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(3004, LogLevel.Warning, "Job {JobId} on host {HostId} expired: its agent never took it", EventName = "JobExpired")]
    public static partial void JobExpired(ILogger logger, string jobId, string hostId);

    [LoggerMessage(3005, LogLevel.Warning, "Agent {AgentId} reported a result for job {JobId}, which is not one of its host's jobs; ignored", EventName = "JobResultForUnknownJob")]
    public static partial void JobResultForUnknownJob(ILogger logger, string jobId, string agentId);

    [LoggerMessage(3012, LogLevel.Warning, "Agent {AgentId} announced an unusable verification plan for job {JobId} ({Problem}); the job page shows no countdown for it", EventName = "VerificationPlanIgnored")]
    public static partial void VerificationPlanIgnored(ILogger logger, string jobId, string agentId, string problem);

    [LoggerMessage(3006, LogLevel.Warning, "Digest {Digest} blocked on {Container} (host {HostId}) after it failed verification: {Reason}", EventName = "DigestBlocked")]
    public static partial void DigestBlocked(ILogger logger, string digest, string container, string hostId, string reason);

    [LoggerMessage(3007, LogLevel.Warning, "Expiring overdue jobs failed; retrying on the next tick", EventName = "JobExpiryFailed")]
    public static partial void JobExpiryFailed(ILogger logger, Exception exception);

    [LoggerMessage(3008, LogLevel.Information, "Job {JobId} sent to agent {AgentId}", EventName = "JobSent")]
    public static partial void JobSent(ILogger logger, string jobId, string agentId);

    [LoggerMessage(3009, LogLevel.Warning, "Job {JobId} could not be sent to agent {AgentId}: its stream closed; it is sent again when the agent reconnects", EventName = "JobSendFailed")]
    public static partial void JobSendFailed(ILogger logger, string jobId, string agentId);

    [LoggerMessage(9002, LogLevel.Warning, "Could not count containers for /metrics", EventName = "MetricsCollectionFailed")]
    public static partial void MetricsCollectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(9001, LogLevel.Information, "Database {Path} ready at schema version {Version} ({Applied} migrations applied now)", EventName = "DatabaseReady")]
    public static partial void DatabaseReady(ILogger logger, string path, int version, int applied);
}
