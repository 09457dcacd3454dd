namespace Harbor.Controller.Updates;

/// <summary>
/// Body of <c>POST /api/v1/containers/{host}/{id}/update</c>. Everything is optional except, until
/// update detection can resolve a tag's current digest, <c>TargetDigest</c>.
/// </summary>
/// <param name="TargetDigest">The exact digest to install (sha256:…).</param>
/// <param name="Image">repository:tag to take the digest from and keep pointing at it; defaults to the container's own image.</param>
/// <param name="Verify">How to decide that the new container works; defaults to the agent's settings.</param>
/// <param name="Strategy">recreate or blue-green; defaults to the container's policy (label <c>harbor.strategy</c> or a rule).</param>
internal sealed record UpdateRequest(string? TargetDigest = null, string? Image = null, VerifyRequest? Verify = null, string? Strategy = null);

/// <summary>Body of <c>POST …/rollback</c> (optional).</summary>
internal sealed record RollbackRequest(VerifyRequest? Verify = null);

/// <param name="StabilityWindowSeconds">Without a healthcheck: seconds the new container must keep running (0 = only that it starts).</param>
/// <param name="HealthTimeoutSeconds">With a healthcheck: the most seconds to wait for healthy.</param>
/// <param name="HttpProbeUrl">A URL that must answer 2xx/3xx, or :port/path on the container's own address.</param>
internal sealed record VerifyRequest(double? StabilityWindowSeconds = null, double? HealthTimeoutSeconds = null, string? HttpProbeUrl = null);

/// <summary>
/// An update, rollback or restart job: also the audit record of who started what and how it ended. A
/// restart (kind "restart", trigger "dependency") names its <c>Cause</c> and the update job that caused it;
/// <c>AfterJobId</c> is the job it waits for (restarts after one update run one at a time, in dependency order).
/// </summary>
internal sealed record JobResponse(
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
    double? Progress,
    string? LastMessage,
    bool Recovered,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    IReadOnlyList<JobStepResponse> Steps,
    IReadOnlyList<JobEventResponse>? Events,
    string? TraceId = null,
    string Strategy = "recreate",
    string? FromImage = null,
    string? Cause = null,
    string? CausedByJobId = null,
    string? AfterJobId = null,
    VerificationPlanResponse? Verification = null);

/// <summary>
/// The verification phase the agent announced last: what it waits for and until when (on the controller's
/// clock). <c>Kind</c>: <c>healthcheck</c> (gives up at <c>EndsAt</c> unless healthy before), <c>stability</c>
/// (must keep running until <c>EndsAt</c>), <c>http_probe</c> (<c>Url</c> must answer 2xx/3xx before <c>EndsAt</c>).
/// </summary>
internal sealed record VerificationPlanResponse(string Kind, long WindowMs, DateTimeOffset StartedAt, DateTimeOffset EndsAt, string? Url);

/// <summary>One step of a job as the agent timed it.</summary>
internal sealed record JobStepResponse(string Step, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, string? Message, string? Error);

internal sealed record JobEventResponse(long Sequence, string Step, string Message, double Progress, DateTimeOffset At);

/// <summary>A digest that failed verification on a container and will not be installed there again until cleared.</summary>
internal sealed record BlockedDigestResponse(string HostId, string ContainerName, string Digest, string JobId, string Reason, DateTimeOffset BlockedAt);
