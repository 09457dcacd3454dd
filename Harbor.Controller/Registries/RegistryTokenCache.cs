using System.Collections.Concurrent;

namespace Harbor.Controller.Registries;

/// <summary>
/// Bearer tokens per (registry, scope, user) until shortly before they expire. Bounded: past
/// <see cref="MaxEntries"/> the expired ones go first, then the oldest.
/// </summary>
internal sealed class RegistryTokenCache(TimeProvider timeProvider)
{
    public const int MaxEntries = 4096;

    /// <summary>Renew this long before the registry's expiry, so a token never dies in flight.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Registry, string Scope, string User), (string Token, DateTimeOffset Expires)> tokens = new();

    public int Count => tokens.Count;

    public string? Find(string registry, string scope, string user) =>
        tokens.TryGetValue((registry, scope, user), out var entry) && entry.Expires > timeProvider.GetUtcNow() ? entry.Token : null;

    public void Store(string registry, string scope, string user, string token, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var margin = lifetime > Margin * 3 ? Margin : lifetime / 3;
        tokens[(registry, scope, user)] = (token, issuedAt + lifetime - margin);
        if (tokens.Count > MaxEntries)
        {
            Trim();
        }
    }

    /// <summary>Forgets every token of a registry (its credential changed).</summary>
    public void Forget(string registry)
    {
        foreach (var key in tokens.Keys.Where(k => k.Registry == registry))
        {
            tokens.TryRemove(key, out _);
        }
    }

    private void Trim()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (key, value) in tokens.Where(t => t.Value.Expires <= now).ToList())
        {
            tokens.TryRemove(key, out _);
        }

        foreach (var (key, _) in tokens.OrderBy(t => t.Value.Expires).Take(Math.Max(0, tokens.Count - MaxEntries)).ToList())
        {
            tokens.TryRemove(key, out _);
        }
    }
}
