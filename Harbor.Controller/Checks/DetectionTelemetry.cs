using Harbor.Controller.Registries;

namespace Harbor.Controller.Checks;

/// <summary>
/// Turns registry client events into metrics, and counts them for the check run whose work caused
/// them (the run's progress flows with the async context).
/// </summary>
internal sealed class DetectionTelemetry(RegistryReachability reachability) : IRegistryTelemetry
{
    private static readonly AsyncLocal<CheckRunProgress?> Current = new();

    /// <summary>Counts registry requests made from here on (in this async flow) towards <paramref name="progress"/>.</summary>
    public static void CountFor(CheckRunProgress? progress) => Current.Value = progress;

    public void RequestCompleted(string registry, string method, string outcome)
    {
        DetectionMetrics.RegistryRequests.WithLabels(registry, method, outcome).Inc();
        reachability.Record(registry, outcome);
        Current.Value?.RegistryRequest();
    }

    public void RateLimitObserved(string registry, long remaining, long? limit)
    {
        DetectionMetrics.RateLimitRemaining.WithLabels(registry).Set(remaining);
        if (limit is { } max)
        {
            DetectionMetrics.RateLimitLimit.WithLabels(registry).Set(max);
        }
    }
}
