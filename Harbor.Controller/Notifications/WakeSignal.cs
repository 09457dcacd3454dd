using System.Threading.Channels;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Lets a background loop sleep until a delay passes (on the controller's TimeProvider) or someone
/// signals new work; signals that arrive while it works are coalesced into one wake-up.
/// </summary>
internal sealed class WakeSignal(TimeProvider timeProvider)
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => wake.Writer.TryWrite(true);

    /// <summary>Until <paramref name="delay"/> passes or <see cref="Set"/> is called.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, timeProvider, stop.Token);
        var signal = wake.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(timer, signal);
        wake.Reader.TryRead(out _);
        await stop.CancelAsync();
    }
}
