using System.Diagnostics;
using System.Threading.Channels;
using Harbor.Agent.Connection;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Docker;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;
using ProtoContainer = Harbor.Protos.Agent.V1.Container;

namespace Harbor.Agent.Inventory;

/// <summary>
/// Keeps the agent's view of its host's containers current from the Docker events stream (no
/// polling) and hands each subscriber a consistent snapshot followed by ordered changes.
/// Runs whether or not the controller is connected, so a reconnect starts from a current view.
/// </summary>
internal sealed class InventoryTracker(
    IDockerEngine engine,
    IOptions<InventoryOptions> options,
    TimeProvider timeProvider,
    ILogger<InventoryTracker> logger) : BackgroundService
{
    private readonly InventoryOptions settings = options.Value;
    private readonly Lock gate = new();
    private readonly Dictionary<string, ProtoContainer> containers = new(StringComparer.Ordinal);
    private readonly List<InventorySubscription> subscribers = [];
    private readonly Dictionary<string, ImageInfo?> images = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EngineStatus engineStatus = new() { Reachable = false, Error = "Not connected to the Docker engine yet." };

    /// <summary>Current engine status (reachable, versions or the reason it is not).</summary>
    public EngineStatus EngineStatus
    {
        get
        {
            lock (gate)
            {
                return engineStatus;
            }
        }
    }

    public int ContainerCount
    {
        get
        {
            lock (gate)
            {
                return containers.Count;
            }
        }
    }

    /// <summary>Completes after the first full refresh, or the first failure to reach the engine.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => ready.Task.WaitAsync(cancellationToken);

    public InventorySubscription Subscribe()
    {
        lock (gate)
        {
            var subscription = new InventorySubscription(
                [.. containers.Values], engineStatus, settings.SubscriberCapacity, Unsubscribe);
            subscribers.Add(subscription);
            return subscription;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WatchAsync(stoppingToken);
                failures = 0;
                Log.EngineEventsEnded(logger);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (EngineUnavailableException e)
            {
                var delay = ReconnectBackoff.Delay(failures++, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
                Log.EngineUnavailable(logger, e.Message, delay);
                SetEngineStatus(new EngineStatus { Reachable = false, Error = e.Message });
                ready.TrySetResult();
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e)
            {
                // Anything unexpected (an engine answer we cannot read): start over rather than stop watching.
                var delay = ReconnectBackoff.Delay(failures++, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
                Log.InventoryFailed(logger, e, delay);
                ready.TrySetResult();
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Subscribe to events, refresh everything, then apply events until the stream ends.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var info = await engine.ConnectAsync(cancellationToken);

        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Subscribe first so that nothing that happens during the refresh is missed.
        var pending = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = PumpEventsAsync(pending.Writer, watchCts.Token);

        try
        {
            await RefreshAllAsync(cancellationToken);
            SetEngineStatus(new EngineStatus
            {
                Reachable = true,
                EngineVersion = info.EngineVersion,
                EngineApiVersion = info.ApiVersion,
                Os = info.Os,
                Architecture = info.Architecture,
            });
            ready.TrySetResult();
            await ApplyEventsAsync(pending.Reader, cancellationToken);
            await pump;
        }
        finally
        {
            await watchCts.CancelAsync();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PumpEventsAsync(ChannelWriter<EngineEvent> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (var engineEvent in engine.WatchEventsAsync(cancellationToken))
            {
                writer.TryWrite(engineEvent);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = e;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private async Task ApplyEventsAsync(ChannelReader<EngineEvent> reader, CancellationToken cancellationToken)
    {
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var firstEventAt = timeProvider.GetTimestamp();
            Drain(reader, dirty);

            // Debounce: wait for a quiet moment, but never longer than MaxDebounce.
            while (settings.Debounce > TimeSpan.Zero
                && timeProvider.GetElapsedTime(firstEventAt) < settings.MaxDebounce)
            {
                using var quiet = new CancellationTokenSource(settings.Debounce, timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, quiet.Token);
                try
                {
                    if (!await reader.WaitToReadAsync(linked.Token))
                    {
                        break;
                    }

                    Drain(reader, dirty);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            if (dirty.Count > 0)
            {
                await RefreshContainersAsync(dirty, cancellationToken);
                dirty.Clear();
            }
        }
    }

    private void Drain(ChannelReader<EngineEvent> reader, HashSet<string> dirty)
    {
        while (reader.TryRead(out var engineEvent))
        {
            AgentMetrics.EngineEvents.WithLabels(engineEvent.Type).Inc();
            switch (engineEvent.Type)
            {
                case "container" when IsInventoryRelevant(engineEvent.Action):
                    dirty.Add(engineEvent.ActorId);
                    break;
                case "network" when engineEvent.Attributes.TryGetValue("container", out var containerId):
                    dirty.Add(containerId);
                    break;
                case "image":
                    // Tag, untag, pull and delete can change the repo digests of the containers using it.
                    lock (gate)
                    {
                        images.Clear();
                        foreach (var container in containers.Values)
                        {
                            if (container.ImageId == engineEvent.ActorId || container.Image == engineEvent.ActorId)
                            {
                                dirty.Add(container.Id);
                            }
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>exec_*, attach, top, resize and the like do not change what the inventory shows.</summary>
    private static bool IsInventoryRelevant(string action) =>
        !action.StartsWith("exec_", StringComparison.Ordinal)
        && action is not ("attach" or "detach" or "top" or "resize" or "copy" or "archive-path" or "extract-to-dir" or "export" or "commit");

    private async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var listed = await engine.ListContainersAsync(cancellationToken);
        var ids = listed.Select(c => c.ID).ToHashSet(StringComparer.Ordinal);

        lock (gate)
        {
            images.Clear();
            // Containers known before but not listed now were removed while we were not watching.
            ids.UnionWith(containers.Keys);
        }

        await RefreshContainersAsync(ids, cancellationToken);
        Log.InventoryRefreshed(logger, ContainerCount, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task RefreshContainersAsync(HashSet<string> ids, CancellationToken cancellationToken)
    {
        var results = new (string Id, ProtoContainer? Container)[ids.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.InspectConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ids.Select((id, index) => (id, index)), parallel, async (item, ct) =>
        {
            var inspect = await engine.InspectContainerAsync(item.id, ct);
            results[item.index] = (item.id, inspect is null ? null : ContainerMapper.Map(inspect, await GetImageAsync(inspect.Image, ct)));
        });

        Publish(results);
    }

    private async ValueTask<ImageInfo?> GetImageAsync(string? imageId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(imageId))
        {
            return null;
        }

        lock (gate)
        {
            if (images.TryGetValue(imageId, out var cached))
            {
                return cached;
            }
        }

        var inspect = await engine.InspectImageAsync(imageId, cancellationToken);
        var info = inspect is null ? null : ContainerMapper.MapImage(inspect);
        lock (gate)
        {
            images[imageId] = info;
        }

        return info;
    }

    private void Publish(IEnumerable<(string Id, ProtoContainer? Container)> results)
    {
        var upserted = new List<ProtoContainer>();
        var removed = new List<string>();
        lock (gate)
        {
            foreach (var (id, container) in results)
            {
                if (container is null)
                {
                    if (containers.Remove(id))
                    {
                        removed.Add(id);
                    }
                }
                else if (!containers.TryGetValue(id, out var known) || !known.Equals(container))
                {
                    containers[id] = container;
                    upserted.Add(container);
                }
            }

            AgentMetrics.Containers.Set(containers.Count);
            if (upserted.Count > 0 || removed.Count > 0)
            {
                PublishLocked(new ContainersChanged(upserted, removed));
            }
        }

        if (upserted.Count > 0 || removed.Count > 0)
        {
            Log.InventoryChanged(logger, upserted.Count, removed.Count);
        }
    }

    private void SetEngineStatus(EngineStatus status)
    {
        lock (gate)
        {
            if (engineStatus.Equals(status))
            {
                return;
            }

            engineStatus = status;
            AgentMetrics.EngineReachable.Set(status.Reachable ? 1 : 0);
            PublishLocked(new EngineStatusChanged(status));
        }
    }

    private void PublishLocked(InventoryEvent inventoryEvent)
    {
        for (var i = subscribers.Count - 1; i >= 0; i--)
        {
            if (!subscribers[i].TryPublish(inventoryEvent))
            {
                Log.InventorySubscriberOverflow(logger);
                subscribers.RemoveAt(i);
            }
        }
    }

    private void Unsubscribe(InventorySubscription subscription)
    {
        lock (gate)
        {
            subscribers.Remove(subscription);
        }
    }
}
