namespace Harbor.Controller.Updates;

/// <summary>The update_jobs table, column for column (timestamps as stored text, steps as JSON).</summary>
internal sealed record UpdateJobRow
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public required string ContainerId { get; init; }
    public required string ContainerName { get; init; }
    public required string Kind { get; init; }
    public required string Trigger { get; init; }
    public required string RequestedBy { get; init; }
    public required string TargetImage { get; init; }
    public string? TargetTag { get; init; }
    public string Strategy { get; init; } = "recreate";
    public string? FromImage { get; init; }
    public long? VerifyStabilityMs { get; init; }
    public long? VerifyHealthCapMs { get; init; }
    public string? VerifyHttpUrl { get; init; }
    public required string State { get; init; }
    public string? Outcome { get; init; }
    public string? Reason { get; init; }
    public string? ReasonCode { get; init; }
    public string? FromImageId { get; init; }
    public string? FromDigest { get; init; }
    public string? ToImageId { get; init; }
    public string? ToDigest { get; init; }
    public string? ResultContainerId { get; init; }
    public string? CurrentStep { get; init; }
    public double? Progress { get; init; }
    public string? LastMessage { get; init; }
    public long Recovered { get; init; }
    public string? Steps { get; init; }
    public required string CreatedAt { get; init; }
    public string? SentAt { get; init; }
    public string? AcceptedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

    /// <summary>Restart jobs: why, in words ("dependency 'db' updated by job …").</summary>
    public string? Cause { get; init; }

    /// <summary>Restart jobs: the update job whose success caused this restart.</summary>
    public string? CausedByJobId { get; init; }

    /// <summary>The job is sent only once this one has finished (restarts run one after another, in dependency order).</summary>
    public string? AfterJobId { get; init; }

    /// <summary>The verification phase the agent last announced: healthcheck, stability or http_probe.</summary>
    public string? VerificationKind { get; init; }

    public long? VerificationWindowMs { get; init; }

    /// <summary>When the phase started, on the controller's clock.</summary>
    public string? VerificationStartedAt { get; init; }

    public string? VerificationUrl { get; init; }

    /// <summary>Not a column: when <see cref="AfterJobId"/> finished (the job's expiry counts from then); filled by the queries that expire jobs.</summary>
    public string? ReleasedAt { get; init; }
}
