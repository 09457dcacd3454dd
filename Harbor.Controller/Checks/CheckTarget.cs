namespace Harbor.Controller.Checks;

/// <summary>One container a check run covers (runs of the per-container check schedules name theirs).</summary>
internal sealed record CheckTarget(string HostId, string ContainerId);
