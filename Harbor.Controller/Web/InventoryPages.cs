using Harbor.Controller.Inventory;

namespace Harbor.Controller.Web;

/// <summary>Reads that several pages share, through the same queries the REST API uses.</summary>
internal static class InventoryPages
{
    /// <summary>Every container (page by page, at the API's largest page size), hosts by name then names.</summary>
    public static async Task<List<ContainerResponse>> AllContainersAsync(InventoryQueries inventory, CancellationToken cancellationToken)
    {
        var all = new List<ContainerResponse>();
        for (var page = 1; ; page++)
        {
            var result = await inventory.ListContainersAsync(new ContainerQuery { Page = page, PageSize = ContainerQuery.MaxPageSize }, cancellationToken);
            all.AddRange(result.Items);
            if (result.Items.Count < result.PageSize || all.Count >= result.Total)
            {
                return all;
            }
        }
    }

    /// <summary>How many containers have this update status (the API's count, one small query).</summary>
    public static async Task<int> CountAsync(InventoryQueries inventory, string? updateStatus, CancellationToken cancellationToken) =>
        (await inventory.ListContainersAsync(new ContainerQuery { UpdateStatus = updateStatus, PageSize = 1 }, cancellationToken)).Total;
}
