using System.Text.Json.Nodes;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// How long to wait for a new container's healthcheck to say "healthy", derived from the healthcheck
/// itself: the start period, then up to retries + 1 probes each taking at most interval + timeout.
/// Longer than that, Docker would already have declared it unhealthy.
/// </summary>
internal static class HealthWait
{
    // Docker's defaults when the healthcheck leaves a field at zero.
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private const int DefaultRetries = 3;

    /// <summary>True when the effective healthcheck runs a test (not absent, not NONE).</summary>
    public static bool IsDefined(JsonNode? healthcheck)
    {
        var test = Strings(healthcheck?["Test"]).ToList();
        return test.Count > 0 && test[0] != "NONE";
    }

    public static TimeSpan Derive(JsonNode? healthcheck, TimeSpan cap)
    {
        var interval = Nanoseconds(healthcheck?["Interval"], DefaultInterval);
        var timeout = Nanoseconds(healthcheck?["Timeout"], DefaultTimeout);
        var startPeriod = Nanoseconds(healthcheck?["StartPeriod"], TimeSpan.Zero);
        var retries = Number(healthcheck?["Retries"]) is > 0 and var r ? r : DefaultRetries;
        var wait = startPeriod + ((interval + timeout) * (retries + 1));
        return wait < cap ? wait : cap;
    }

    private static TimeSpan Nanoseconds(JsonNode? node, TimeSpan fallback) =>
        Number(node) is > 0 and var ns ? TimeSpan.FromTicks(ns / 100) : fallback;
}
