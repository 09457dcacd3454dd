namespace Harbor.Controller.Automation;

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "Automation started job {JobId} for {Container} on host {HostId}: {Digest}", EventName = "AutomationUpdateStarted")]
    public static partial void UpdateStarted(ILogger logger, string jobId, string container, string hostId, string digest);

    [LoggerMessage(6002, LogLevel.Information, "Automation for {Container} on host {HostId}: {Action}. {Reason}", EventName = "AutomationDecisionChanged")]
    public static partial void DecisionChanged(ILogger logger, string container, string hostId, string action, string reason);

    [LoggerMessage(6003, LogLevel.Error, "The automation pass failed", EventName = "AutomationPassFailed")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(6004, LogLevel.Information, "Approval {ApprovalId} created for {Container} on host {HostId}: {Digest}", EventName = "ApprovalCreated")]
    public static partial void ApprovalCreated(ILogger logger, string approvalId, string container, string hostId, string digest);

    [LoggerMessage(6005, LogLevel.Information, "Approval {ApprovalId} {State} by {DecidedBy}", EventName = "ApprovalDecided")]
    public static partial void ApprovalDecided(ILogger logger, string approvalId, string state, string decidedBy);

    [LoggerMessage(6006, LogLevel.Warning, "Rollout of {Reference} to {Digest} halted: {Reason}", EventName = "RolloutHalted")]
    public static partial void RolloutHalted(ILogger logger, string reference, string digest, string reason);

    [LoggerMessage(6007, LogLevel.Information, "Restart job {JobId} for {Container} on host {HostId}: {Cause}", EventName = "DependentRestartStarted")]
    public static partial void DependentRestartStarted(ILogger logger, string jobId, string container, string hostId, string cause);

    [LoggerMessage(6008, LogLevel.Information, "{Container} on host {HostId} is not restarted after {Dependency} changed: {Reason}", EventName = "DependentNotRestarted")]
    public static partial void DependentNotRestarted(ILogger logger, string container, string hostId, string dependency, string reason);
}
