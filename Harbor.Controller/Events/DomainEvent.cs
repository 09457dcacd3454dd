namespace Harbor.Controller.Events;

/// <summary>
/// Something that happened that a user or an integration may want to see at once: inventory
/// changes, hosts going online/offline, check results, job progress, approvals.
/// <see cref="Id"/> grows by one per event for the controller's lifetime (Last-Event-ID resumes from it).
/// </summary>
/// <param name="Id">Position in the stream.</param>
/// <param name="Type">Dotted name, e.g. "container.changed", "host.offline", "job.step".</param>
/// <param name="At">When it was published (UTC).</param>
/// <param name="HostId">The host it concerns, when there is one (for filtering and permissions).</param>
/// <param name="Data">A small JSON-serializable payload.</param>
internal sealed record DomainEvent(long Id, string Type, DateTimeOffset At, string? HostId, object Data);
