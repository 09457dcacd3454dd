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

    public static readonly Counter InventoryResyncs = Metrics.CreateCounter(
        "harbor_inventory_resyncs_total", "Snapshots requested from agents after a gap in inventory sequence numbers.");

    public static readonly Gauge Containers = Metrics.CreateGauge(
        "harbor_containers", "Containers by host and state, as last reported.",
        new GaugeConfiguration { LabelNames = ["host", "state"] });
}
