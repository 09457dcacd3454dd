namespace Harbor.Controller.Inventory;

/// <summary>
/// Filters of a pass over the whole inventory (policy resolution, automation, the check scheduler):
/// one host, one update status, containers carrying a label. Null means no filter.
/// </summary>
internal sealed record ContainerPass(string? HostId = null, string? UpdateStatus = null, string? WithLabel = null);
