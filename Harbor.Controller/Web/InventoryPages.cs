using Harbor.Controller.Inventory;

namespace Harbor.Controller.Web;

/// <summary>Reads that several pages share, through the same queries the REST API uses.</summary>
internal static class InventoryPages
{
    /// <summary>Every container (page by page, at the API's largest page size), hosts by name then names.</summary>
    public static async Task<List<ContainerResponse>> AllContainersAsync(InventoryQueries inventory, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        var all = new List<ContainerResponse>();
        for (var page = 1; ; page++)
        {
            var result = await inventory.ListContainersAsync(new ContainerQuery { Page = page, PageSize = ContainerQuery.MaxPageSize }, visibleHosts, cancellationToken);
            all.AddRange(result.Items);
            if (result.Items.Count < result.PageSize || all.Count >= result.Total)
            {
                return all;
            }
        }
    }

    /// <summary>The hosts the user may see (host-group limits), as the hosts API filters them.</summary>
    public static async Task<IReadOnlyList<HostResponse>> HostsAsync(InventoryQueries inventory, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        var hosts = await inventory.ListHostsAsync(cancellationToken);
        return visibleHosts is null ? hosts : [.. hosts.Where(h => visibleHosts.Contains(h.Id))];
    }

    /// <summary>How many containers have this update status (the API's count, one small query).</summary>
    public static async Task<int> CountAsync(InventoryQueries inventory, string? updateStatus, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken) =>
        (await inventory.ListContainersAsync(new ContainerQuery { UpdateStatus = updateStatus, PageSize = 1 }, visibleHosts, cancellationToken)).Total;
}
