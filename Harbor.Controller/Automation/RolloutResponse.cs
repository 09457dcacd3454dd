namespace Harbor.Controller.Automation;

/// <summary>A staged rollout of one digest: where it stands and, when halted, why.</summary>
internal sealed record RolloutResponse(
    string Id,
    string Reference,
    string Digest,
    string State,
    int Stage,
    string StageName,
    IReadOnlyList<string> Groups,
    DateTimeOffset? SoakUntil,
    string? HaltedReason,
    string? HaltedJobId,
    IReadOnlyList<RolloutJobResponse> Jobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

internal sealed record RolloutJobResponse(string JobId, int Stage, string HostId, string ContainerName);
