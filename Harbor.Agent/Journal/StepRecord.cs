using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Journal;

/// <summary>One step as it happened.</summary>
internal sealed class StepRecord
{
    public required JobStep Step { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public string? Message { get; set; }
}
