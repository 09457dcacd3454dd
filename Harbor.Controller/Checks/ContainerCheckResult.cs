namespace Harbor.Controller.Checks;

/// <summary>The decision for one container in one run.</summary>
internal sealed record ContainerCheckResult(string HostId, string ContainerId, string Status, string? Reference, string? RemoteDigest, string? Error, string? TargetTag = null);
