namespace Harbor.Controller.Events;

/// <summary>
/// Every domain event type the controller publishes, in one place (docs/automation.md lists the
/// payloads). Subscribers filter with these names or a prefix such as "job.*".
/// </summary>
internal static class EventTypes
{
    public const string HostOnline = "host.online";
    public const string HostOffline = "host.offline";
    public const string HostEngine = "host.engine";
    public const string InventorySnapshot = "inventory.snapshot";
    public const string ContainerChanged = "container.changed";
    public const string ContainerRemoved = "container.removed";

    /// <summary>A check run finished (completed or failed), with its counts per status.</summary>
    public const string CheckCompleted = "check.completed";

    /// <summary>A container's update status changed in a check (e.g. up-to-date → update-available).</summary>
    public const string ContainerUpdateStatus = "container.update-status";

    /// <summary>A managed container has an update (once per container and digest); for policy notify nothing else happens.</summary>
    public const string UpdateAvailable = "update.available";

    public const string JobCreated = "job.created";
    public const string JobStep = "job.step";

    /// <summary>Pull progress of a running job (the agent sends at most two a second); for live views, never a notification.</summary>
    public const string JobProgress = "job.progress";
    public const string JobFinished = "job.finished";

    public const string ApprovalCreated = "approval.created";
    public const string ApprovalApproved = "approval.approved";
    public const string ApprovalRejected = "approval.rejected";
    public const string ApprovalExpired = "approval.expired";

    /// <summary>A rollout group finished and now soaks (no failure may follow) before the next group.</summary>
    public const string RolloutSoaking = "rollout.soaking";

    /// <summary>A rollout moved on to its next host group.</summary>
    public const string RolloutAdvanced = "rollout.advanced";

    public const string RolloutCompleted = "rollout.completed";

    /// <summary>A job of the rollout failed or was rolled back: no further group is updated.</summary>
    public const string RolloutHalted = "rollout.halted";

    /// <summary>The engine's decision about a container changed (e.g. now waiting for the window, or a dependency cycle).</summary>
    public const string AutomationDecision = "automation.decision";
}
