using System.Text.Json.Nodes;
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

    // The update surface below speaks the engine's own JSON (see EngineApi for why). Calls the engine
    // refuses throw EngineRequestException with the engine's message.

    /// <summary>The Engine API version negotiated at the last connect.</summary>
    System.Version ApiVersion { get; }

    /// <summary>GET /containers/{id}/json; null when there is no such container.</summary>
    Task<JsonObject?> InspectContainerJsonAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>GET /images/{name}/json; null when there is no such image.</summary>
    Task<JsonObject?> InspectImageJsonAsync(string idOrReference, CancellationToken cancellationToken);

    /// <summary>Pulls <c>repository@sha256:…</c>, reporting the engine's progress messages.</summary>
    Task PullImageAsync(string reference, string? registryAuthHeader, IProgress<PullProgress> progress, CancellationToken cancellationToken);

    Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken);

    /// <summary>False when the image is still used (or referenced in a way that needs force): it is left alone.</summary>
    Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>POST /containers/create with the given body; returns the new container id.</summary>
    Task<string> CreateContainerAsync(string name, JsonObject body, CancellationToken cancellationToken);

    Task ConnectNetworkAsync(string network, string containerId, JsonObject endpointConfig, CancellationToken cancellationToken);

    /// <summary>Takes a container off a network (its name and aliases there stop resolving to it at once).</summary>
    Task DisconnectNetworkAsync(string network, string containerId, CancellationToken cancellationToken);

    /// <summary>Starting a running container is not an error.</summary>
    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stops with the container's own stop signal; <paramref name="timeout"/> null uses the container's
    /// own stop timeout. Stopping a stopped container is not an error.
    /// </summary>
    Task StopContainerAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken);

    Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken);

    /// <summary>Removes the container but never its volumes. Removing a missing container is not an error.</summary>
    Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken);
}
