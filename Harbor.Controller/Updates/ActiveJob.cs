namespace Harbor.Controller.Updates;

/// <summary>A job that has not finished (pending, sent or running) on a container, with its current step and progress (0–1; pull progress while pulling).</summary>
internal sealed record ActiveJob(string Id, string HostId, string ContainerName, string Kind, string? CurrentStep, double? Progress);
