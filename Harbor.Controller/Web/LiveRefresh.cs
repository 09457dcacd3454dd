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

    // Refreshes wait until the page's first load is done: a refresh racing it could be overwritten by its older read.
    private readonly TaskCompletionSource firstLoadDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveRefresh(EventHub hub, IReadOnlyList<string> types, Func<Task> refresh, TimeProvider timeProvider)
    {
        var subscription = hub.Subscribe(afterId: null);
        listening = ListenAsync(hub, subscription, types, stop.Token);
        refreshing = RefreshAsync(refresh, timeProvider, stop.Token);
    }

    /// <summary>
    /// Listens first, then runs the page's first <paramref name="load"/>, then reloads and re-renders the
    /// page on events: an event published while the page was reading is not missed (it refreshes once
    /// after the load), and no refresh races the first load.
    /// </summary>
    /// <param name="hub">The controller's event stream.</param>
    /// <param name="types">Type filters as the SSE API takes them: "container.*", "job.*", "host.online".</param>
    /// <param name="load">Reads the page's data (first load and every refresh).</param>
    /// <param name="invokeAsync">The component's InvokeAsync: a refresh runs on its renderer.</param>
    /// <param name="stateHasChanged">The component's StateHasChanged, after each refresh.</param>
    /// <param name="timeProvider">The controller's clock.</param>
    public static async Task<LiveRefresh> AfterFirstLoadAsync(
        EventHub hub, IReadOnlyList<string> types, Func<Task> load, Func<Func<Task>, Task> invokeAsync, Action stateHasChanged, TimeProvider timeProvider)
    {
        var live = new LiveRefresh(hub, types, () => invokeAsync(async () =>
        {
            await load();
            stateHasChanged();
        }), timeProvider);
        try
        {
            await load();
        }
        catch
        {
            await live.DisposeAsync();
            throw;
        }

        live.firstLoadDone.TrySetResult();
        return live;
    }

    private async Task ListenAsync(EventHub hub, EventSubscription subscription, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using (subscription)
                {
                    await foreach (var domainEvent in subscription.ReadAllAsync(cancellationToken))
                    {
                        if (types.Any(t => EventsApi.Matches(t, domainEvent.Type)))
                        {
                            dirty.Writer.TryWrite(true);
                        }
                    }
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // The hub dropped a subscriber that fell behind: refresh once for what was missed and listen again.
                subscription = hub.Subscribe(afterId: null);
                dirty.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(Func<Task> refresh, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        try
        {
            await firstLoadDone.Task.WaitAsync(cancellationToken);
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
