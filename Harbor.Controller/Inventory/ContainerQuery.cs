namespace Harbor.Controller.Inventory;

/// <summary>Filters and paging for <c>GET /api/v1/containers</c>.</summary>
internal sealed record ContainerQuery
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>Only containers on this host (agent id).</summary>
    public string? Host { get; init; }

    /// <summary>Case-insensitive substring of the container name.</summary>
    public string? Name { get; init; }

    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string? State { get; init; }

    /// <summary>Update status of the last check: up-to-date, update-available, pinned, local, error or unchecked.</summary>
    public string? UpdateStatus { get; init; }

    /// <summary>1-based page number.</summary>
    public int? Page { get; init; }

    /// <summary>Items per page, 1-1000 (default 100).</summary>
    public int? PageSize { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (State is not null && !InventoryMapper.States.Contains(State))
        {
            errors["state"] = [$"'{State}' is not a container state. Use one of: {string.Join(", ", InventoryMapper.States)}."];
        }

        if (UpdateStatus is not null && !Checks.UpdateStatus.Filterable.Contains(UpdateStatus))
        {
            errors["updateStatus"] = [$"'{UpdateStatus}' is not an update status. Use one of: {string.Join(", ", Checks.UpdateStatus.Filterable)}."];
        }

        if (Page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }

        if (Name is { Length: > 256 })
        {
            errors["name"] = ["name is at most 256 characters."];
        }

        return errors;
    }
}
