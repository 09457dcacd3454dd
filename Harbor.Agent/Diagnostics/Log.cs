namespace Harbor.Agent.Diagnostics;

/// <summary>The agent's structured log events. Event ids are stable: 1xxx engine, 2xxx inventory, 3xxx connection.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Connected to Docker engine at {Endpoint}: version {EngineVersion}, speaking Engine API {ApiVersion} (engine supports {EngineMinApi}..{EngineMaxApi})", EventName = "EngineConnected")]
    public static partial void EngineConnected(ILogger logger, Uri endpoint, string engineVersion, string apiVersion, string? engineMaxApi, string? engineMinApi);

    [LoggerMessage(1002, LogLevel.Warning, "Docker engine unavailable: {Reason}. Retrying in {Delay}", EventName = "EngineUnavailable")]
    public static partial void EngineUnavailable(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(1003, LogLevel.Warning, "Docker events stream ended; re-subscribing and refreshing the inventory", EventName = "EngineEventsEnded")]
    public static partial void EngineEventsEnded(ILogger logger);

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
}
