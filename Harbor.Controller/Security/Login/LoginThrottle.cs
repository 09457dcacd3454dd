using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Login;

/// <summary>
/// Counts failed sign-ins per user name (whether or not the user exists, so the answer never tells)
/// and per client address, and locks a name or address for a while after too many. In memory: a
/// restart forgives, which an attacker cannot trigger, and nothing has to be written per attempt.
/// Bounded so a flood of random names cannot grow it without limit.
/// </summary>
internal sealed class LoginThrottle(TimeProvider timeProvider, IOptions<SecurityOptions> options, ILogger<LoginThrottle> logger)
{
    private const int MaxEntries = 10_000;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>When the name or the address is locked, until when; else null.</summary>
    public DateTimeOffset? LockedUntil(string userName, string? address)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var byName = Until(NameKey(userName), now);
            var byAddress = Until(AddressKey(address), now);
            return byName is null ? byAddress : byAddress is null || byName > byAddress ? byName : byAddress;
        }
    }

    public void RecordFailure(string userName, string? address)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            Count(NameKey(userName), settings.LockoutFailures, now);
            Count(AddressKey(address), settings.LockoutFailuresPerAddress, now);
        }
    }

    /// <summary>A successful sign-in clears the name's failures (not the address's: one success must not hide a spray).</summary>
    public void RecordSuccess(string userName)
    {
        lock (gate)
        {
            entries.Remove(NameKey(userName));
        }
    }

    private DateTimeOffset? Until(string key, DateTimeOffset now) =>
        entries.TryGetValue(key, out var entry) && entry.LockedUntil > now ? entry.LockedUntil : null;

    private void Count(string key, int limit, DateTimeOffset now)
    {
        var duration = options.Value.LockoutDuration;
        if (!entries.TryGetValue(key, out var entry) || now - entry.WindowStart > duration)
        {
            entry = new Entry { WindowStart = now };
            Prune(now);
            entries[key] = entry;
        }

        entry.Failures++;
        if (entry.Failures >= limit && !(entry.LockedUntil > now))
        {
            entry.LockedUntil = now + duration;
            entry.WindowStart = now;
            entry.Failures = 0;
            Log.SignInLocked(logger, key, entry.LockedUntil.Value);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (entries.Count < MaxEntries)
        {
            return;
        }

        var duration = options.Value.LockoutDuration;
        foreach (var (key, entry) in entries.ToList())
        {
            if (!(entry.LockedUntil > now) && now - entry.WindowStart > duration)
            {
                entries.Remove(key);
            }
        }

        // Still full: forget the oldest windows (never an active lock first).
        foreach (var (key, _) in entries.Where(e => !(e.Value.LockedUntil > now)).OrderBy(e => e.Value.WindowStart).Take(entries.Count - MaxEntries + 1).ToList())
        {
            entries.Remove(key);
        }
    }

    private static string NameKey(string userName) => "user:" + userName.Trim().ToLowerInvariant();

    private static string AddressKey(string? address) => "address:" + (address ?? "unknown");

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; }
        public int Failures { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
    }
}
