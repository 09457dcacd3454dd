namespace Harbor.Controller.Checks;

/// <summary>The check_runs table, column for column.</summary>
internal sealed record CheckRunRow
{
    public required string Id { get; init; }
    public required string TriggeredBy { get; init; }
    public required string Scope { get; init; }
    public string? HostId { get; init; }
    public string? ContainerId { get; init; }
    public string? Repositories { get; init; }

    /// <summary>JSON array of {hostId, containerId}: the containers of a "containers" run (their own check schedules were due).</summary>
    public string? Containers { get; init; }
    public required string Status { get; init; }
    public required string CreatedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public long ContainersTotal { get; init; }
    public long ReferencesTotal { get; init; }
    public long ReferencesDone { get; init; }
    public long UpToDate { get; init; }
    public long UpdateAvailable { get; init; }
    public long Pinned { get; init; }
    public long LocalOnly { get; init; }
    public long Errors { get; init; }
    public long RegistryRequests { get; init; }
    public string? Error { get; init; }
}
