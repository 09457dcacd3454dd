namespace Harbor.Controller.Checks;

/// <summary>
/// What a check run covers: everything, one host, one container, the containers of pushed repositories,
/// or the containers whose own check schedule is due. <see cref="ExceptOwnSchedules"/> (the global
/// interval's runs) leaves out containers that have their own check schedule.
/// </summary>
internal sealed record CheckScope(
    string Kind, string? HostId = null, string? ContainerId = null, IReadOnlyList<PushedRepository>? Repositories = null,
    IReadOnlyList<CheckTarget>? Containers = null, bool ExceptOwnSchedules = false)
{
    public const string AllKind = "all";
    public const string HostKind = "host";
    public const string ContainerKind = "container";
    public const string RepositoryKind = "repository";
    public const string ContainersKind = "containers";

    public static CheckScope All { get; } = new(AllKind);

    /// <summary>Everything except containers with their own check schedule: what the global interval checks.</summary>
    public static CheckScope Scheduled { get; } = new(AllKind, ExceptOwnSchedules: true);

    public static CheckScope ForHost(string hostId) => new(HostKind, hostId);

    public static CheckScope ForContainer(string hostId, string containerId) => new(ContainerKind, hostId, containerId);

    public static CheckScope ForContainers(IReadOnlyList<CheckTarget> containers) => new(ContainersKind, Containers: containers);

    public static CheckScope ForRepositories(IReadOnlyList<PushedRepository> repositories) => new(RepositoryKind, Repositories: repositories);

    /// <summary>Identical scopes share one queued run instead of queueing twice.</summary>
    public string Key => Kind switch
    {
        RepositoryKind => Kind + ":" + string.Join(',', Repositories!.Select(r => r.ToString()).Order(StringComparer.Ordinal)),
        ContainersKind => Kind + ":" + string.Join(',', Containers!.Select(c => $"{c.HostId}/{c.ContainerId}").Order(StringComparer.Ordinal)),
        _ => $"{Kind}:{HostId}:{ContainerId}{(ExceptOwnSchedules ? ":except-own-schedules" : "")}",
    };
}
