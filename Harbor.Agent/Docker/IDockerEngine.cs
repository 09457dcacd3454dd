using Docker.DotNet.Models;

namespace Harbor.Agent.Docker;

/// <summary>
/// The whole Docker surface the agent uses. Kept small so that inventory and update logic read as
/// plain steps. Every method throws <see cref="EngineUnavailableException"/> when the engine cannot
/// be reached, with a message a user can act on.
/// </summary>
internal interface IDockerEngine
{
    /// <summary>Connects (or reconnects) and negotiates the Engine API version.</summary>
    Task<EngineInfo> ConnectAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(CancellationToken cancellationToken);

    /// <summary>Null when the container no longer exists.</summary>
    Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Null when the image no longer exists.</summary>
    Task<ImageInspectResponse?> InspectImageAsync(string idOrReference, CancellationToken cancellationToken);

    /// <summary>
    /// Streams container, image and network events until the engine closes the stream (the
    /// enumeration then ends) or the token is cancelled.
    /// </summary>
    IAsyncEnumerable<EngineEvent> WatchEventsAsync(CancellationToken cancellationToken);
}
