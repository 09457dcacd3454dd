using System.Threading.Channels;
using Harbor.Protos.Agent.V1;
using ProtoContainer = Harbor.Protos.Agent.V1.Container;

namespace Harbor.Agent.Inventory;

/// <summary>
/// A consistent starting point (snapshot + engine status) and the ordered changes after it.
/// When the subscriber falls too far behind, the tracker completes the channel and sets
/// <see cref="Overflowed"/>; the subscriber then takes a new subscription (a fresh snapshot).
/// </summary>
internal sealed class InventorySubscription : IDisposable
{
    private readonly Channel<InventoryEvent> events;
    private readonly Action<InventorySubscription> unsubscribe;

    public InventorySubscription(IReadOnlyList<ProtoContainer> snapshot, EngineStatus engineStatus, int capacity, Action<InventorySubscription> unsubscribe)
    {
        Snapshot = snapshot;
        EngineStatus = engineStatus;
        this.unsubscribe = unsubscribe;
        events = Channel.CreateBounded<InventoryEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public IReadOnlyList<ProtoContainer> Snapshot { get; }

    public EngineStatus EngineStatus { get; }

    public ChannelReader<InventoryEvent> Events => events.Reader;

    public bool Overflowed { get; private set; }

    /// <summary>Called by the tracker under its lock. False once the subscriber overflowed.</summary>
    internal bool TryPublish(InventoryEvent inventoryEvent)
    {
        if (Overflowed)
        {
            return false;
        }

        if (events.Writer.TryWrite(inventoryEvent))
        {
            return true;
        }

        Overflowed = true;
        events.Writer.TryComplete();
        return false;
    }

    /// <summary>Asks the consumer, in order with the changes, to start over from a new snapshot.</summary>
    public void RequestResync(string reason)
    {
        // If the buffer is full the subscriber has overflowed and will resync anyway.
        if (!events.Writer.TryWrite(new ResyncRequested(reason)))
        {
            Overflowed = true;
            events.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        events.Writer.TryComplete();
        unsubscribe(this);
    }
}
