using Harbor.Controller.Inventory;

namespace Harbor.Controller.Web;

/// <summary>
/// What the Containers page shows: one host, one update status, one Compose project and a free-text
/// search over name and image. Empty means "any". Applied in memory to the inventory the page holds,
/// so typing filters 5,000 rows without a round trip.
/// </summary>
public sealed record ContainerFilter
{
    /// <summary>Compose project value that selects containers not managed by Compose.</summary>
    public const string NoProject = "(none)";

    public string? HostId { get; init; }

    /// <summary>An update status (<see cref="Checks.UpdateStatus"/>).</summary>
    public string? Status { get; init; }

    public string? Project { get; init; }

    /// <summary>Case-insensitive; matches the container name or its image reference.</summary>
    public string? Search { get; init; }

    public bool IsEmpty => string.IsNullOrEmpty(HostId) && string.IsNullOrEmpty(Status) && string.IsNullOrEmpty(Project) && string.IsNullOrWhiteSpace(Search);

    internal bool Matches(ContainerResponse container)
    {
        if (!string.IsNullOrEmpty(HostId) && container.HostId != HostId)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Status) && container.Update.Status != Status)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Project)
            && !(Project == NoProject ? string.IsNullOrEmpty(container.ComposeProject) : container.ComposeProject == Project))
        {
            return false;
        }

        var search = Search?.Trim();
        return string.IsNullOrEmpty(search)
            || container.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
            || container.Image.Contains(search, StringComparison.OrdinalIgnoreCase);
    }

    internal IEnumerable<ContainerResponse> Apply(IEnumerable<ContainerResponse> containers) =>
        IsEmpty ? containers : containers.Where(Matches);
}
