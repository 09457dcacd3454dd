namespace Harbor.Controller.Registries;

/// <summary>
/// Per-registry traffic control: a concurrency cap, a pause while the registry's Retry-After runs,
/// and a short "unreachable" mark so that requests to a dead registry fail at once instead of each
/// waiting for its own timeout.
/// </summary>
internal sealed class RegistryGate(string registry, int maxConcurrency, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim slots = new(maxConcurrency, maxConcurrency);
    private readonly Lock sync = new();
    private DateTimeOffset pausedUntil;
    private DateTimeOffset unreachableUntil;
    private string? unreachableReason;

    public string Registry { get; } = registry;

    /// <summary>The last rate-limit remaining count the registry reported.</summary>
    public long? RateLimitRemaining { get; private set; }

    private long? rateLimit;
    private DateTimeOffset? rateLimitObservedAt;

    /// <summary>The rate limit as last seen, and the Retry-After pause if one is still running.</summary>
    public RateLimitState RateLimit
    {
        get
        {
            lock (sync)
            {
                return new RateLimitState(RateLimitRemaining, rateLimit, rateLimitObservedAt,
                    pausedUntil > timeProvider.GetUtcNow() ? pausedUntil : null);
            }
        }
    }

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    public void ThrowIfUnreachable()
    {
        lock (sync)
        {
            if (unreachableReason is not null && timeProvider.GetUtcNow() < unreachableUntil)
            {
                throw new RegistryException(RegistryErrorKind.Unreachable, Registry, unreachableReason);
            }
        }
    }

    public void MarkUnreachable(string reason, TimeSpan cooldown)
    {
        lock (sync)
        {
            unreachableReason = reason;
            unreachableUntil = timeProvider.GetUtcNow() + cooldown;
        }
    }

    public void MarkReachable()
    {
        lock (sync)
        {
            unreachableReason = null;
        }
    }

    /// <summary>Every request to this registry waits until <paramref name="until"/> (Retry-After).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (sync)
        {
            if (until > pausedUntil)
            {
                pausedUntil = until;
            }
        }
    }

    public async Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (sync)
        {
            wait = pausedUntil - timeProvider.GetUtcNow();
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    public void RecordRemaining(long remaining, long? limit = null)
    {
        lock (sync)
        {
            RateLimitRemaining = remaining;
            rateLimit = limit ?? rateLimit;
            rateLimitObservedAt = timeProvider.GetUtcNow();
        }
    }

    /// <summary>How long requests still wait (zero when not paused).</summary>
    public TimeSpan PausedFor()
    {
        lock (sync)
        {
            var wait = pausedUntil - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    /// <summary>Takes over what a previous controller learnt (saved state), unless this one has seen newer.</summary>
    public void Restore(RateLimitState state)
    {
        lock (sync)
        {
            if (rateLimitObservedAt is null && state.ObservedAt is not null)
            {
                RateLimitRemaining = state.Remaining;
                rateLimit = state.Limit;
                rateLimitObservedAt = state.ObservedAt;
            }

            if (state.PausedUntil is { } until && until > pausedUntil)
            {
                pausedUntil = until;
            }
        }
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
