using Prometheus;

namespace Harbor.Agent.Diagnostics;

/// <summary>The agent's Prometheus metrics (documented in docs/metrics.md).</summary>
internal static class AgentMetrics
{
    public static readonly Gauge Connected = Metrics.CreateGauge(
        "harbor_agent_connected", "1 while the agent has an accepted stream to the controller.");

    public static readonly Counter Reconnects = Metrics.CreateCounter(
        "harbor_agent_reconnects_total", "Times the stream to the controller ended and the agent started reconnecting.");

    public static readonly Counter StreamMessages = Metrics.CreateCounter(
        "harbor_agent_stream_messages_total", "Messages on the controller stream.",
        new CounterConfiguration { LabelNames = ["direction", "type"] });

    public static readonly Gauge EngineReachable = Metrics.CreateGauge(
        "harbor_agent_engine_reachable", "1 while the Docker engine answers.");

    public static readonly Counter EngineEvents = Metrics.CreateCounter(
        "harbor_agent_engine_events_total", "Docker events received, by type.",
        new CounterConfiguration { LabelNames = ["type"] });

    public static readonly Gauge Containers = Metrics.CreateGauge(
        "harbor_agent_containers", "Containers on this host as the agent last saw them.");

    public static readonly Counter UpdateJobs = Metrics.CreateCounter(
        "harbor_agent_update_jobs_total", "Update jobs finished on this host, by outcome (succeeded, rolled_back, failed, refused).",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Histogram UpdateStepDuration = Metrics.CreateHistogram(
        "harbor_agent_update_step_duration_seconds", "How long each step of an update job took on this host, by step (check, pull, …, rollback).",
        new HistogramConfiguration { LabelNames = ["step"], Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    public static readonly Gauge UpdateJobsRunning = Metrics.CreateGauge(
        "harbor_agent_update_jobs_running", "Update jobs running or waiting for a slot on this host.");
}
