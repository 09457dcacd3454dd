using Prometheus;

namespace Harbor.Controller.Checks;

/// <summary>Update detection's Prometheus metrics (documented in docs/detection.md).</summary>
internal static class DetectionMetrics
{
    public static readonly Counter ChecksRun = Metrics.CreateCounter(
        "harbor_checks_total", "Check runs finished, by trigger (api, schedule, webhook) and status (completed, failed).",
        new CounterConfiguration { LabelNames = ["trigger", "status"] });

    public static readonly Histogram CheckDuration = Metrics.CreateHistogram(
        "harbor_check_duration_seconds", "Wall time of a check run, by trigger.",
        new HistogramConfiguration { LabelNames = ["trigger"], Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    public static readonly Counter CheckResults = Metrics.CreateCounter(
        "harbor_check_results_total", "Per-container check results, by status.",
        new CounterConfiguration { LabelNames = ["status"] });

    public static readonly Counter RegistryRequests = Metrics.CreateCounter(
        "harbor_registry_requests_total", "HTTP requests to registries, by registry, method (HEAD, GET, token) and outcome.",
        new CounterConfiguration { LabelNames = ["registry", "method", "outcome"] });

    public static readonly Gauge RateLimitRemaining = Metrics.CreateGauge(
        "harbor_registry_ratelimit_remaining", "Requests the registry says remain in its current rate-limit window (last reported).",
        new GaugeConfiguration { LabelNames = ["registry"] });

    public static readonly Gauge RateLimitLimit = Metrics.CreateGauge(
        "harbor_registry_ratelimit_limit", "Requests the registry allows per rate-limit window, when it says (last reported).",
        new GaugeConfiguration { LabelNames = ["registry"] });
}
