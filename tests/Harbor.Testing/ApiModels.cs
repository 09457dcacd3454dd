namespace Harbor.Testing;

// The API contract as a client sees it (deliberately not the controller's own types, so a
// breaking change to the JSON fails the tests).

public sealed record ApiHost(
    string Id,
    string Name,
    bool Online,
    string AgentVersion,
    string Os,
    string Architecture,
    string EngineVersion,
    string EngineApiVersion,
    bool EngineReachable,
    string? EngineError,
    List<string> Capabilities,
    int ContainerCount,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? DisconnectedAt);

public sealed record ApiNetwork(string Network, string? IpAddress, List<string> Aliases);

public sealed record ApiPort(int ContainerPort, string Protocol, string? HostIp, int? HostPort);

public sealed record ApiContainer(
    string HostId,
    string HostName,
    string Id,
    string Name,
    string Image,
    string ImageId,
    List<string> RepoDigests,
    Dictionary<string, string> Labels,
    string State,
    string Health,
    DateTimeOffset? StartedAt,
    string? ComposeProject,
    string? ComposeService,
    string? Platform,
    List<ApiNetwork> Networks,
    List<ApiPort> Ports,
    bool Stale);

public sealed record ApiPage<T>(List<T> Items, int Page, int PageSize, int Total);

public sealed record ApiJobStep(string Step, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, string? Message, string? Error);

/// <summary>The verification phase a job's agent announced: what it waits for and until when (controller clock).</summary>
public sealed record ApiVerificationPlan(string Kind, long WindowMs, DateTimeOffset StartedAt, DateTimeOffset EndsAt, string? Url);

public sealed record ApiJobEvent(long Sequence, string Step, string Message, double Progress, DateTimeOffset At);

public sealed record ApiJob(
    string Id,
    string HostId,
    string ContainerId,
    string ContainerName,
    string Kind,
    string Trigger,
    string RequestedBy,
    string TargetImage,
    string? TargetTag,
    string State,
    string? Outcome,
    string? Reason,
    string? ReasonCode,
    string? RollbackReason,
    string? FromImageId,
    string? FromDigest,
    string? ToImageId,
    string? ToDigest,
    string? ResultContainerId,
    string? CurrentStep,
    bool Recovered,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    List<ApiJobStep> Steps,
    List<ApiJobEvent>? Events,
    string? TraceId = null,
    string? Cause = null,
    string? CausedByJobId = null,
    string? AfterJobId = null,
    DateTimeOffset? SentAt = null,
    ApiVerificationPlan? Verification = null)
{
    public ApiJobStep? StepNamed(string step) => Steps.LastOrDefault(s => s.Step == step);
}

public sealed record ApiBlockedDigest(string HostId, string ContainerName, string Digest, string JobId, string Reason, DateTimeOffset BlockedAt);

public sealed record ApiApproval(
    string Id,
    string HostId,
    string ContainerId,
    string ContainerName,
    string Image,
    string TargetDigest,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Comment,
    string? JobId);

public sealed record ApiAutomationDecision(
    string HostId,
    string ContainerName,
    string ContainerId,
    string Digest,
    string Mode,
    string Action,
    string Reason,
    DateTimeOffset? NotBefore,
    DateTimeOffset DecidedAt,
    string? JobId);

public sealed record ApiRolloutJob(string JobId, int Stage, string HostId, string ContainerName);

public sealed record ApiRollout(
    string Id,
    string Reference,
    string Digest,
    string State,
    int Stage,
    string StageName,
    List<string> Groups,
    DateTimeOffset? SoakUntil,
    string? HaltedReason,
    string? HaltedJobId,
    List<ApiRolloutJob> Jobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
