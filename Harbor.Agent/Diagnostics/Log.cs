namespace Harbor.Agent.Diagnostics;

/// <summary>The agent's structured log events. Event ids are stable: 1xxx engine, 2xxx inventory, 3xxx connection, 4xxx updates, 5xxx journal.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Connected to Docker engine at {Endpoint}: version {EngineVersion}, speaking Engine API {ApiVersion} (engine supports {EngineMinApi}..{EngineMaxApi})", EventName = "EngineConnected")]
    public static partial void EngineConnected(ILogger logger, Uri endpoint, string engineVersion, string apiVersion, string? engineMaxApi, string? engineMinApi);

    [LoggerMessage(1002, LogLevel.Warning, "Docker engine unavailable: {Reason}. Retrying in {Delay}", EventName = "EngineUnavailable")]
    public static partial void EngineUnavailable(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(1003, LogLevel.Warning, "Docker events stream ended; re-subscribing and refreshing the inventory", EventName = "EngineEventsEnded")]
    public static partial void EngineEventsEnded(ILogger logger);

    [LoggerMessage(1004, LogLevel.Information, "Running in container {ContainerId}; the agent refuses jobs that would update or restart it", EventName = "RunningInContainer")]
    public static partial void RunningInContainer(ILogger logger, string containerId);

    [LoggerMessage(2001, LogLevel.Information, "Inventory refreshed: {Count} containers in {Elapsed} ms", EventName = "InventoryRefreshed")]
    public static partial void InventoryRefreshed(ILogger logger, int count, long elapsed);

    [LoggerMessage(2002, LogLevel.Debug, "Inventory change: {Upserted} upserted, {Removed} removed", EventName = "InventoryChanged")]
    public static partial void InventoryChanged(ILogger logger, int upserted, int removed);

    [LoggerMessage(2003, LogLevel.Warning, "Inventory subscriber fell behind; it will receive a fresh snapshot", EventName = "InventorySubscriberOverflow")]
    public static partial void InventorySubscriberOverflow(ILogger logger);

    [LoggerMessage(2004, LogLevel.Error, "Inventory watch failed; starting over in {Delay}", EventName = "InventoryFailed")]
    public static partial void InventoryFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(3001, LogLevel.Information, "Connected to controller {ControllerUrl} as agent {AgentId}; heartbeat every {HeartbeatInterval}", EventName = "ControllerConnected")]
    public static partial void ControllerConnected(ILogger logger, string controllerUrl, string agentId, TimeSpan heartbeatInterval);

    [LoggerMessage(3002, LogLevel.Warning, "Connection to controller {ControllerUrl} lost: {Reason}. Reconnecting in {Delay}", EventName = "ControllerDisconnected")]
    public static partial void ControllerDisconnected(ILogger logger, string controllerUrl, string reason, TimeSpan delay);

    [LoggerMessage(3003, LogLevel.Error, "The controller at {ControllerUrl} rejected this agent: {Detail} Retrying in {Delay}", EventName = "ControllerRejected")]
    public static partial void ControllerRejected(ILogger logger, string controllerUrl, string detail, TimeSpan delay);

    [LoggerMessage(3011, LogLevel.Information, "{Reason} Looking again in {Delay}", EventName = "WaitingForEnrollmentToken")]
    public static partial void WaitingForEnrollmentToken(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(3004, LogLevel.Information, "Controller asked for a fresh inventory snapshot: {Reason}", EventName = "ResyncRequested")]
    public static partial void ResyncRequested(ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Information, "Enrolling with the controller at {ControllerUrl} (token {TokenId}, pinned CA SHA-256 {CaFingerprint})", EventName = "Enrolling")]
    public static partial void Enrolling(ILogger logger, string controllerUrl, string tokenId, string caFingerprint);

    [LoggerMessage(3007, LogLevel.Information, "Enrolled as agent {AgentId}; certificate valid until {NotAfter}, stored in {StateDirectory}", EventName = "Enrolled")]
    public static partial void Enrolled(ILogger logger, string agentId, DateTime notAfter, string stateDirectory);

    [LoggerMessage(3008, LogLevel.Information, "Using the agent certificate {Subject} (valid until {NotAfter}); trusting only the controller CA SHA-256 {CaFingerprint}", EventName = "CredentialLoaded")]
    public static partial void CredentialLoaded(ILogger logger, string subject, DateTime notAfter, string caFingerprint);

    [LoggerMessage(3009, LogLevel.Warning, "Kept the existing agent certificate: {Reason}", EventName = "EnrollmentSkipped")]
    public static partial void EnrollmentSkipped(ILogger logger, string reason);

    [LoggerMessage(3010, LogLevel.Warning, "DEVELOPMENT MODE: authenticating to the controller with the shared DevToken over plain HTTP/2", EventName = "DevMode")]
    public static partial void DevMode(ILogger logger);

    [LoggerMessage(3005, LogLevel.Information, "Agent identity {AgentId} (state directory {StateDirectory})", EventName = "AgentIdentity")]
    public static partial void AgentIdentityLoaded(ILogger logger, string agentId, string stateDirectory);

    [LoggerMessage(4001, LogLevel.Information, "Update job {JobId} started: container {ContainerId} to {TargetImage}", EventName = "JobStarted")]
    public static partial void JobStarted(ILogger logger, string jobId, string containerId, string targetImage);

    [LoggerMessage(4002, LogLevel.Information, "Update job {JobId} on {Container} finished: {Outcome}. {Reason}", EventName = "JobFinished")]
    public static partial void JobFinished(ILogger logger, string jobId, string container, string outcome, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Update job {JobId} on {Container} failed ({Code}): {Reason}. Rolling back", EventName = "JobRollingBack")]
    public static partial void JobRollingBack(ILogger logger, string jobId, string container, string code, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Update command for job {JobId} received again (finished: {Finished}); not running it twice", EventName = "JobReplayed")]
    public static partial void JobReplayed(ILogger logger, string jobId, bool finished);

    [LoggerMessage(4005, LogLevel.Error, "Update job {JobId} stopped unexpectedly; start-up recovery will settle it", EventName = "JobCrashed")]
    public static partial void JobCrashed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(4006, LogLevel.Warning, "Update queue full; dropped the command for job {JobId} (the controller sends it again on reconnect)", EventName = "JobQueueFull")]
    public static partial void JobQueueFull(ILogger logger, string jobId);

    [LoggerMessage(4007, LogLevel.Warning, "FAULT INJECTION ARMED: {Variable}={Step}. The agent will kill itself at that job step. Never set this outside tests", EventName = "FaultInjectionArmed")]
    public static partial void FaultInjectionArmed(ILogger logger, string variable, string step);

    [LoggerMessage(4008, LogLevel.Warning, "Cannot read the Docker config {Path}: {Reason}; pulling without its credentials", EventName = "DockerConfigUnreadable")]
    public static partial void DockerConfigUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(4009, LogLevel.Warning, "Docker credential helper {Helper} failed: {Reason}; pulling without its credentials", EventName = "CredentialHelperFailed")]
    public static partial void CredentialHelperFailed(ILogger logger, string helper, string reason);

    [LoggerMessage(4010, LogLevel.Debug, "Update job {JobId}: step {Step} started", EventName = "JobStepStarted")]
    public static partial void StepStarted(ILogger logger, string jobId, string step);

    [LoggerMessage(4011, LogLevel.Information, "Update job {JobId}: step {Step} done in {ElapsedMs} ms: {StepMessage}", EventName = "JobStepFinished")]
    public static partial void StepFinished(ILogger logger, string jobId, string step, long elapsedMs, string stepMessage);

    [LoggerMessage(4012, LogLevel.Warning, "Update job {JobId}: step {Step} failed: {Error}", EventName = "JobStepFailed")]
    public static partial void StepFailed(ILogger logger, string jobId, string step, string error);

    [LoggerMessage(4013, LogLevel.Information, "Restart job {JobId} started: container {ContainerId} ({Cause})", EventName = "RestartStarted")]
    public static partial void RestartStarted(ILogger logger, string jobId, string containerId, string cause);

    [LoggerMessage(5001, LogLevel.Information, "Job journal {Directory}: {Count} jobs, {Unfinished} unfinished", EventName = "JournalLoaded")]
    public static partial void JournalLoaded(ILogger logger, string directory, int count, int unfinished);

    [LoggerMessage(5002, LogLevel.Error, "Journal entry {Path} is unreadable ({Reason}); moved aside as .unreadable", EventName = "JournalEntryUnreadable")]
    public static partial void JournalEntryUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Recovering job {JobId} on {Container}, interrupted during {Step}", EventName = "JobRecovering")]
    public static partial void JobRecovering(ILogger logger, string jobId, string container, string step);
}
