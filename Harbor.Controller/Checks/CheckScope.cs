namespace Harbor.Controller.Checks;

/// <summary>What a check run covers: everything, one host, one container, or the containers of pushed repositories.</summary>
internal sealed record CheckScope(string Kind, string? HostId = null, string? ContainerId = null, IReadOnlyList<PushedRepository>? Repositories = null)
{
    public const string AllKind = "all";
    public const string HostKind = "host";
    public const string ContainerKind = "container";
    public const string RepositoryKind = "repository";

    public static CheckScope All { get; } = new(AllKind);

    public static CheckScope ForHost(string hostId) => new(HostKind, hostId);

    public static CheckScope ForContainer(string hostId, string containerId) => new(ContainerKind, hostId, containerId);

    public static CheckScope ForRepositories(IReadOnlyList<PushedRepository> repositories) => new(RepositoryKind, Repositories: repositories);

    /// <summary>Identical scopes share one queued run instead of queueing twice.</summary>
    public string Key => Kind switch
    {
        RepositoryKind => Kind + ":" + string.Join(',', Repositories!.Select(r => r.ToString()).Order(StringComparer.Ordinal)),
        _ => $"{Kind}:{HostId}:{ContainerId}",
    };
}
