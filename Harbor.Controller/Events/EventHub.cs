using System.Threading.Channels;

namespace Harbor.Controller.Events;

/// <summary>
/// The controller's in-process domain event stream. Publishing never blocks: each subscriber has a
/// bounded buffer, and a subscriber that falls behind is dropped (its stream ends; an SSE client
/// reconnects with Last-Event-ID and is replayed from the recent-events ring).
/// </summary>
internal sealed class EventHub(TimeProvider timeProvider)
{
    public const int ReplayCapacity = 2048;
    private const int SubscriberCapacity = 4096;

    private readonly Lock gate = new();
    private readonly List<Channel<DomainEvent>> subscribers = [];
    private readonly Queue<DomainEvent> recent = new();
    private long lastId;

    public DomainEvent Publish(string type, string? hostId, object data)
    {
        lock (gate)
        {
            var domainEvent = new DomainEvent(++lastId, type, timeProvider.GetUtcNow(), hostId, data);
            recent.Enqueue(domainEvent);
            if (recent.Count > ReplayCapacity)
            {
                recent.Dequeue();
            }

            for (var i = subscribers.Count - 1; i >= 0; i--)
            {
                if (!subscribers[i].Writer.TryWrite(domainEvent))
                {
                    subscribers[i].Writer.TryComplete(new EventSubscriberTooSlowException());
                    subscribers.RemoveAt(i);
                }
            }

            return domainEvent;
        }
    }

    /// <summary>
    /// Registers a subscriber now (so nothing published from here on is missed) that yields the
    /// events after <paramref name="afterId"/> still in the replay ring, then live ones, in order.
    /// </summary>
    public EventSubscription Subscribe(long? afterId)
    {
        var channel = Channel.CreateBounded<DomainEvent>(new BoundedChannelOptions(SubscriberCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (gate)
        {
            var replay = afterId is { } after ? recent.Where(e => e.Id > after).ToArray() : [];
            subscribers.Add(channel);
            return new EventSubscription(replay, channel.Reader, () => Unsubscribe(channel));
        }
    }

    private void Unsubscribe(Channel<DomainEvent> channel)
    {
        lock (gate)
        {
            subscribers.Remove(channel);
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (gate)
            {
                return subscribers.Count;
            }
        }
    }
}

/// <summary>One subscriber's view of the stream; dispose to leave.</summary>
internal sealed class EventSubscription(IReadOnlyList<DomainEvent> replay, ChannelReader<DomainEvent> live, Action leave) : IDisposable
{
    /// <summary>Ends when the subscriber falls too far behind or the token is cancelled.</summary>
    public async IAsyncEnumerable<DomainEvent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var domainEvent in replay)
        {
            yield return domainEvent;
        }

        while (true)
        {
            bool more;
            try
            {
                more = await live.WaitToReadAsync(cancellationToken);
            }
            catch (EventSubscriberTooSlowException)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            while (live.TryRead(out var domainEvent))
            {
                yield return domainEvent;
            }
        }
    }

    public void Dispose() => leave();
}

/// <summary>Ends a subscription whose buffer overflowed.</summary>
internal sealed class EventSubscriberTooSlowException : Exception
{
    public EventSubscriberTooSlowException() : base("The event subscriber fell too far behind.")
    {
    }

    public EventSubscriberTooSlowException(string message) : base(message)
    {
    }

    public EventSubscriberTooSlowException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
