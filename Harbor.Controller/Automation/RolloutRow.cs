namespace Harbor.Controller.Automation;

/// <summary>A row of rollouts.</summary>
internal sealed class RolloutRow
{
    public const string Active = "active";
    public const string Soaking = "soaking";
    public const string Completed = "completed";
    public const string Halted = "halted";

    public string Id { get; init; } = "";

    public string Reference { get; init; } = "";

    public string Digest { get; init; } = "";

    public long Stage { get; set; }

    public string State { get; set; } = Active;

    public string? SoakUntil { get; set; }

    public string? HaltedReason { get; set; }

    public string? HaltedJobId { get; set; }

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; set; } = "";
}
