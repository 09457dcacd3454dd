using Prometheus;

namespace Harbor.Controller.Diagnostics;

/// <summary>The controller's Prometheus metrics (documented in docs/metrics.md).</summary>
internal static class ControllerMetrics
{
    public static readonly Gauge AgentsConnected = Metrics.CreateGauge(
        "harbor_agents_connected", "Agents with a live stream to this controller.");

    public static readonly Counter StreamMessages = Metrics.CreateCounter(
        "harbor_agent_stream_messages_total", "Messages on agent streams, by direction (in = from agents) and type.",
        new CounterConfiguration { LabelNames = ["direction", "type"] });

    public static readonly Counter AgentConnections = Metrics.CreateCounter(
        "harbor_agent_connections_total", "Agent streams accepted (Hello checked); every reconnect counts one.");

    public static readonly Counter AgentDisconnects = Metrics.CreateCounter(
        "harbor_agent_disconnects_total", "Agent streams that ended, by reason (ended = the agent or network closed it, silent = no message within the offline timeout, replaced = the agent reconnected, shutdown = the controller stopped).",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter AgentStreamsRejected = Metrics.CreateCounter(
        "harbor_agent_streams_rejected_total", "Agent streams refused before they were accepted, by reason (unauthenticated, invalid_hello, hello_timeout).",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter InventoryResyncs = Metrics.CreateCounter(
        "harbor_inventory_resyncs_total", "Snapshots requested from agents after a gap in inventory sequence numbers.");

    public static readonly Gauge Containers = Metrics.CreateGauge(
        "harbor_containers", "Containers by host and state, as last reported.",
        new GaugeConfiguration { LabelNames = ["host", "state"] });

    public static readonly Gauge HostOnline = Metrics.CreateGauge(
        "harbor_host_online", "1 while the host's agent is connected, 0 while it is offline; one series per known host (name), read at scrape time.",
        new GaugeConfiguration { LabelNames = ["host"] });

    public static readonly Gauge ContainersByUpdateStatus = Metrics.CreateGauge(
        "harbor_containers_by_update_status", "Containers by their update status (up-to-date, update-available, pinned, local, error, unchecked), read at scrape time.",
        new GaugeConfiguration { LabelNames = ["status"] });

    public static readonly Gauge UpdateJobsActive = Metrics.CreateGauge(
        "harbor_update_jobs_active", "Update jobs not finished yet, by state (pending = not sent, sent = not taken by the agent, running), read at scrape time.",
        new GaugeConfiguration { LabelNames = ["state"] });

    public static readonly Counter UpdateJobs = Metrics.CreateCounter(
        "harbor_update_jobs_total", "Update jobs finished, by outcome (succeeded, rolled_back, failed, refused).",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Counter UpdateRollbacks = Metrics.CreateCounter(
        "harbor_update_rollbacks_total", "Updates rolled back, by reason (exited, unhealthy, health_timeout, restarted, probe_failed, start_failed, create_failed, agent_restarted, …).",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Histogram UpdateJobDuration = Metrics.CreateHistogram(
        "harbor_update_job_duration_seconds", "How long update jobs took on the agent, from taking the job to its outcome, by outcome.",
        new HistogramConfiguration
        {
            LabelNames = ["outcome"],
            Buckets = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
        });
}
