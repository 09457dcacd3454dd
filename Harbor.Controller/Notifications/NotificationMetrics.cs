using Prometheus;

namespace Harbor.Controller.Notifications;

/// <summary>Notification metrics (documented in docs/notifications.md and docs/metrics.md).</summary>
internal static class NotificationMetrics
{
    public static readonly Counter Deliveries = Metrics.CreateCounter(
        "harbor_notification_deliveries_total", "Notifications the receiver acknowledged, by channel type.",
        new CounterConfiguration { LabelNames = ["channel_type"] });

    public static readonly Counter Failures = Metrics.CreateCounter(
        "harbor_notification_failures_total", "Failed delivery attempts, by channel type and what followed (retry or dead).",
        new CounterConfiguration { LabelNames = ["channel_type", "outcome"] });

    public static readonly Gauge Outbox = Metrics.CreateGauge(
        "harbor_notification_outbox_messages", "Outbox depth: messages waiting to be delivered (pending) and dead letters (dead).",
        new GaugeConfiguration { LabelNames = ["status"] });
}
