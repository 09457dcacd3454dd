namespace Harbor.Controller.Automation;

/// <summary>A row of automation_decisions.</summary>
internal sealed class DecisionRow
{
    public string HostId { get; init; } = "";

    public string ContainerName { get; init; } = "";

    public string ContainerId { get; init; } = "";

    public string Digest { get; init; } = "";

    public string Mode { get; init; } = "";

    public string Action { get; init; } = "";

    public string Reason { get; init; } = "";

    public string? NotBefore { get; init; }

    public string DecidedAt { get; init; } = "";

    public string? JobId { get; init; }

    public string? LastUpdateAt { get; init; }

    public string? NotifiedDigest { get; init; }
}
