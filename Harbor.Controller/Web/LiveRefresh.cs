using System.Threading.Channels;
using Harbor.Controller.Events;

namespace Harbor.Controller.Web;

/// <summary>
/// Keeps a page live: listens to the domain event stream in-process and calls the page's refresh
/// when an event it cares about arrives. Bursts (a snapshot of hundreds of containers, the steps of a
/// job) are coalesced into one refresh at most every <see cref="Coalesce"/>, so a page shows a change
/// well within a second without re-querying per event.
/// </summary>
internal sealed class LiveRefresh : IAsyncDisposable
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource stop = new();
    private readonly Task listening;
    private readonly Task refreshing;

    // One pending signal at most: every event read before a refresh starts is covered by it.
    private readonly Channel<bool> dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <param name="hub">The controller's event stream.</param>
    /// <param name="types">Type filters as the SSE API takes them: "container.*", "job.*", "host.online".</param>
    /// <param name="refresh">Reloads the page's data and re-renders (the page marshals onto its renderer).</param>
    /// <param name="timeProvider">The controller's clock.</param>
    public LiveRefresh(EventHub hub, IReadOnlyList<string> types, Func<Task> refresh, TimeProvider timeProvider)
    {
        var subscription = hub.Subscribe(afterId: null);
        listening = ListenAsync(subscription, types, stop.Token);
        refreshing = RefreshAsync(refresh, timeProvider, stop.Token);
    }

    private async Task ListenAsync(EventSubscription subscription, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        using var leave = subscription;
        try
        {
            await foreach (var domainEvent in subscription.ReadAllAsync(cancellationToken))
            {
                if (types.Any(t => EventsApi.Matches(t, domainEvent.Type)))
                {
                    dirty.Writer.TryWrite(true);
                }
            }

            // The hub dropped a subscriber that fell behind: refresh once so nothing stays stale.
            dirty.Writer.TryWrite(true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(Func<Task> refresh, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        try
        {
            while (await dirty.Reader.WaitToReadAsync(cancellationToken))
            {
                // Let the rest of a burst arrive before reading the database once for all of it.
                await Task.Delay(Coalesce, timeProvider, cancellationToken);
                dirty.Reader.TryRead(out _);
                await refresh();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The page's circuit went away between the event and the refresh.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await refreshing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }
}
