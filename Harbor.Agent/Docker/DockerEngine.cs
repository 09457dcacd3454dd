using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Harbor.Agent.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Docker;

/// <summary>
/// <see cref="IDockerEngine"/> over Docker.DotNet. The client is built per connection with the
/// negotiated API version; any transport failure drops it so the next call reconnects.
/// </summary>
internal sealed class DockerEngine(IOptions<DockerOptions> options, ILogger<DockerEngine> logger) : IDockerEngine, IDisposable
{
    private readonly Uri endpoint = options.Value.ResolveEndpoint();
    private readonly TimeSpan requestTimeout = options.Value.RequestTimeout;
    private readonly SemaphoreSlim connectGate = new(1, 1);
    private volatile DockerClient? client;
    private volatile EngineApi? api;

    public async Task<EngineInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        await connectGate.WaitAsync(cancellationToken);
        try
        {
            Reset();

            // GET /version is served unversioned, which is what makes negotiation possible.
            using var probe = CreateClient(apiVersion: null);
            var version = await Guard(() => probe.System.GetVersionAsync(cancellationToken), cancellationToken);
            var negotiated = EngineApiVersion.Negotiate(version.APIVersion, version.MinAPIVersion);
            if (!negotiated.Succeeded)
            {
                throw new EngineUnavailableException(negotiated.Error);
            }

            client = CreateClient(negotiated.Version);
            // The JSON client holds no state beyond pooled sockets, so it survives a reset (an update's
            // rollback keeps working while the inventory re-subscribes); it is replaced only on connect, and
            // the previous one is left to the garbage collector because a job may still be using it.
            api = new EngineApi(endpoint, negotiated.Version, requestTimeout);
            var info = new EngineInfo(
                version.Version ?? "unknown",
                EngineApiVersion.Format(negotiated.Version),
                version.Os ?? "",
                version.Arch ?? "");
            Log.EngineConnected(logger, endpoint, info.EngineVersion, info.ApiVersion, version.APIVersion, version.MinAPIVersion);
            return info;
        }
        finally
        {
            connectGate.Release();
        }
    }

    public Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(CancellationToken cancellationToken) =>
        Guard<IReadOnlyList<ContainerListResponse>>(
            async () => [.. await Client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken)],
            cancellationToken);

    public Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        Guard<ContainerInspectResponse?>(async () =>
        {
            try
            {
                return await Client.Containers.InspectContainerAsync(id, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    public Task<ImageInspectResponse?> InspectImageAsync(string idOrReference, CancellationToken cancellationToken) =>
        Guard<ImageInspectResponse?>(async () =>
        {
            try
            {
                return await Client.Images.InspectImageAsync(idOrReference, cancellationToken);
            }
            catch (DockerImageNotFoundException)
            {
                return null;
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true, ["image"] = true, ["network"] = true },
            },
        };
        var progress = new ChannelProgress(events.Writer);
        var monitor = Client.System.MonitorEventsAsync(parameters, progress, cancellationToken);
        _ = monitor.ContinueWith(
            t => events.Writer.TryComplete(t.IsFaulted ? Translate(t.Exception!.GetBaseException()) : null),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        await foreach (var engineEvent in events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return engineEvent;
        }
    }

    public System.Version ApiVersion => Api.ApiVersion;

    public Task<JsonObject?> InspectContainerJsonAsync(string idOrName, CancellationToken cancellationToken) =>
        Api.GetObjectAsync($"containers/{Uri.EscapeDataString(idOrName)}/json", cancellationToken);

    public Task<JsonObject?> InspectImageJsonAsync(string idOrReference, CancellationToken cancellationToken) =>
        Api.GetObjectAsync($"images/{idOrReference}/json", cancellationToken);

    public Task PullImageAsync(string reference, string? registryAuthHeader, IProgress<PullProgress> progress, CancellationToken cancellationToken) =>
        Api.PullAsync(reference, registryAuthHeader, message => progress.Report(PullProgress.From(message)), cancellationToken);

    public Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken) =>
        Api.PostAsync($"images/{image}/tag?{EngineApi.Query(("repo", repository), ("tag", tag))}", null, cancellationToken);

    public async Task<bool> RemoveImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await Api.DeleteAsync($"images/{imageId}", cancellationToken);
            return true;
        }
        catch (EngineRequestException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<string> CreateContainerAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        var created = await Api.PostAsync("containers/create?" + EngineApi.Query(("name", name)), body, cancellationToken);
        return created?["Id"]?.GetValue<string>()
            ?? throw new EngineRequestException(HttpStatusCode.OK, "The Docker engine created a container but did not say its id.");
    }

    public Task ConnectNetworkAsync(string network, string containerId, JsonObject endpointConfig, CancellationToken cancellationToken) =>
        Api.PostAsync(
            $"networks/{Uri.EscapeDataString(network)}/connect",
            new JsonObject { ["Container"] = containerId, ["EndpointConfig"] = endpointConfig },
            cancellationToken);

    public Task DisconnectNetworkAsync(string network, string containerId, CancellationToken cancellationToken) =>
        Api.PostAsync(
            $"networks/{Uri.EscapeDataString(network)}/disconnect",
            new JsonObject { ["Container"] = containerId, ["Force"] = false },
            cancellationToken);

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        Api.PostAsync($"containers/{id}/start", null, cancellationToken);

    public Task StopContainerAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var query = timeout is { } t ? "?t=" + EngineApi.Seconds(t) : "";
        // The engine answers when the container has stopped: allow for the grace period (the container's own is at most
        // what Docker allows, so give it generous room) on top of the usual request time.
        var wait = (timeout ?? TimeSpan.FromMinutes(5)) + requestTimeout;
        return Api.PostAsync($"containers/{id}/stop{query}", null, cancellationToken, wait);
    }

    public Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken) =>
        Api.PostAsync($"containers/{id}/rename?" + EngineApi.Query(("name", newName)), null, cancellationToken);

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken) =>
        // v=false: never the container's volumes, anonymous ones included; they hold the user's data.
        Api.DeleteAsync($"containers/{id}?" + EngineApi.Query(("v", "false"), ("force", force ? "true" : "false")), cancellationToken);

    public void Dispose()
    {
        Reset();
        api?.Dispose();
        connectGate.Dispose();
    }

    private DockerClient Client => client ?? throw new EngineUnavailableException(
        $"Not connected to the Docker engine at {endpoint}.");

    private EngineApi Api => api ?? throw new EngineUnavailableException(
        $"Not connected to the Docker engine at {endpoint}.");

    private DockerClient CreateClient(System.Version? apiVersion)
    {
        var builder = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(requestTimeout);
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(apiVersion);
        }

        return builder.Build();
    }

    private void Reset()
    {
        var old = Interlocked.Exchange(ref client, null);
        old?.Dispose();
    }

    private async Task<T> Guard<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(e))
        {
            Reset();
            throw Translate(e);
        }
    }

    private static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or TimeoutException or TaskCanceledException
        || (e is DockerApiException api && (int)api.StatusCode >= 500 && api.StatusCode != HttpStatusCode.NotImplemented);

    private Exception Translate(Exception e) => e switch
    {
        EngineUnavailableException or OperationCanceledException when e is not TaskCanceledException => e,
        TaskCanceledException or TimeoutException => new EngineUnavailableException(
            $"The Docker engine at {endpoint} did not answer within {requestTimeout.TotalSeconds:0} s.", e),
        DockerApiException api => new EngineUnavailableException(
            $"The Docker engine at {endpoint} answered {(int)api.StatusCode}: {api.ResponseBody?.Trim()}", e),
        _ => new EngineUnavailableException(
            $"Cannot reach the Docker engine at {endpoint}: {e.GetBaseException().Message}. " +
            "Check that dockerd is running and that the agent can open its socket.", e),
    };

    private sealed class ChannelProgress(ChannelWriter<EngineEvent> writer) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (value.Type is null || value.Action is null)
            {
                return;
            }

            var attributes = value.Actor?.Attributes is { } a
                ? new Dictionary<string, string>(a, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            writer.TryWrite(new EngineEvent(value.Type, value.Action, value.Actor?.ID ?? "", attributes));
        }
    }
}
