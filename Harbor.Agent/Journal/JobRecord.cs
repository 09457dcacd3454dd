using System.Text.Json.Serialization;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Journal;

/// <summary>
/// Everything the agent must remember about one job to finish or undo it after a crash, and to
/// answer a replayed command with the recorded outcome. Saved to the journal before each step.
/// Never holds registry credentials.
/// </summary>
internal sealed class JobRecord
{
    public required string JobId { get; init; }

    /// <summary>The old container (its id never changes, whatever its name).</summary>
    public required string ContainerId { get; init; }

    /// <summary>What the job installs; empty for a restart.</summary>
    public required string TargetImage { get; init; }

    /// <summary>"restart" for a restart job; null for an update or rollback (journals written before restarts existed).</summary>
    public string? Kind { get; init; }

    public const string RestartKind = "restart";

    [JsonIgnore]
    public bool IsRestart => Kind == RestartKind;

    /// <summary>Restart: why the controller asked for it (e.g. "dependency 'db' updated by job 1a2b").</summary>
    public string? Cause { get; init; }

    public string? TargetTag { get; init; }

    public bool Rollback { get; init; }

    public int StabilityWindowMs { get; init; }

    public int HealthTimeoutCapMs { get; init; }

    public string? HttpProbeUrl { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset AcceptedAt { get; init; }

    /// <summary>"blue-green", or null for a recreate.</summary>
    public string? Strategy { get; init; }

    [JsonIgnore]
    public bool BlueGreen => Strategy == BlueGreenStrategy;

    public const string BlueGreenStrategy = "blue-green";

    /// <summary>Blue-green: the new container's temporary name until it takes the original one.</summary>
    public string? NewName { get; set; }

    /// <summary>Blue-green: the old container's networks (name → endpoint settings JSON) it was disconnected from, to reconnect on rollback.</summary>
    public Dictionary<string, string>? DrainedNetworks { get; set; }

    /// <summary>W3C traceparent/tracestate of the controller span that sent the command (the job span's parent).</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    /// <summary>traceparent of this agent's span for the job, sent with the result so the controller can link to it.</summary>
    public string? RunTraceParent { get; set; }

    /// <summary>The step being done (written before it starts).</summary>
    public JobStep Step { get; set; } = JobStep.Accepted;

    /// <summary>The old container's name, which the new container takes.</summary>
    public string? ContainerName { get; set; }

    public bool WasRunning { get; set; }

    public string? OldImageId { get; set; }

    public string? FromDigest { get; set; }

    public string? ToImageId { get; set; }

    public string? ToDigest { get; set; }

    /// <summary>The image repository:tag pointed at before the TAG step moved it, to move it back on rollback.</summary>
    public string? TagPreviousImageId { get; set; }

    /// <summary>The temporary name of the old container once renamed.</summary>
    public string? RenamedTo { get; set; }

    public string? NewContainerId { get; set; }

    public List<StepRecord> Steps { get; init; } = [];

    /// <summary>Why the job is being rolled back, recorded before the rollback starts.</summary>
    public string? FailureReason { get; set; }

    public string? FailureCode { get; set; }

    public JobOutcome? Outcome { get; set; }

    public string? Reason { get; set; }

    public string? ReasonCode { get; set; }

    /// <summary>The container that runs after the job.</summary>
    public string? FinalContainerId { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool Recovered { get; set; }

    /// <summary>The controller confirmed it stored the result.</summary>
    public bool Acknowledged { get; set; }

    [JsonIgnore]
    public bool IsFinished => Outcome is not null;
}
