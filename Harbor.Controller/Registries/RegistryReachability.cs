using System.Collections.Concurrent;

namespace Harbor.Controller.Registries;

/// <summary>
/// The last answer (or silence) of each registry Harbor talked to, for <c>/health</c>. A registry is in
/// trouble when its last request found it unreachable, timing out, failing with 5xx, rate limiting or
/// answering nonsense; any other answer (even 401 or 404) means it is there.
/// </summary>
internal sealed class RegistryReachability(TimeProvider timeProvider)
{
    private static readonly HashSet<string> Troubled = new(StringComparer.Ordinal)
    {
        RegistryOutcome.Unreachable, RegistryOutcome.Timeout, RegistryOutcome.ServerError, RegistryOutcome.RateLimited, RegistryOutcome.Invalid,
    };

    private readonly ConcurrentDictionary<string, RegistryState> registries = new(StringComparer.Ordinal);

    public void Record(string registry, string outcome) =>
        registries[registry] = new RegistryState(outcome, Troubled.Contains(outcome), timeProvider.GetUtcNow());

    /// <summary>Registries whose last request failed in a way that stops checks, with that outcome, by name.</summary>
    public IReadOnlyList<(string Registry, RegistryState State)> InTrouble() =>
        [.. registries.Where(r => r.Value.Troubled).Select(r => (r.Key, r.Value)).OrderBy(r => r.Key, StringComparer.Ordinal)];

    public int Count => registries.Count;
}

/// <summary>A registry's last request outcome and when it came.</summary>
internal sealed record RegistryState(string Outcome, bool Troubled, DateTimeOffset At);
