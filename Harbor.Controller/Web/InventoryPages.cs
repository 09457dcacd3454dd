using Harbor.Controller.Inventory;

namespace Harbor.Controller.Web;

/// <summary>Reads that several pages share, through the same queries the REST API uses.</summary>
internal static class InventoryPages
{
    /// <summary>Every container the user may see, hosts by name then names (one query).</summary>
    public static Task<List<ContainerResponse>> AllContainersAsync(InventoryQueries inventory, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken) =>
        inventory.ListAllContainersAsync(visibleHosts, cancellationToken);

    /// <summary>The hosts the user may see (host-group limits), as the hosts API filters them.</summary>
    public static async Task<IReadOnlyList<HostResponse>> HostsAsync(InventoryQueries inventory, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        var hosts = await inventory.ListHostsAsync(cancellationToken);
        return visibleHosts is null ? hosts : [.. hosts.Where(h => visibleHosts.Contains(h.Id))];
    }
}
