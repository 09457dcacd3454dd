using System.Threading.Channels;

namespace Harbor.Controller.Inventory;

/// <summary>
/// The ordered queue between agent streams and the database writer. Bounded: when the database
/// falls behind, agent streams wait (gRPC flow control pushes back) instead of memory growing.
/// </summary>
internal sealed class InventoryWriteQueue
{
    private readonly Channel<InventoryWrite> channel = Channel.CreateBounded<InventoryWrite>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<InventoryWrite> Reader => channel.Reader;

    public ValueTask EnqueueAsync(InventoryWrite write, CancellationToken cancellationToken = default) =>
        channel.Writer.WriteAsync(write, cancellationToken);

    /// <summary>Waits until everything queued so far is committed (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await channel.Writer.WriteAsync(new FlushWrite(done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public void Complete() => channel.Writer.TryComplete();
}
