namespace Harbor.Controller.Notifications;

/// <summary>
/// The event types notification rules are written against (docs/notifications.md lists them with
/// their payloads). Rules match by name or "prefix.*" pattern, so a type published by another
/// feature reaches notifications without a change here.
/// </summary>
internal static class NotificationEventTypes
{
    /// <summary>A check found a newer image for a container (carries checkRunId: digest mode collects these).</summary>
    public const string UpdateAvailable = "update.available";

    /// <summary>An update job was taken by its agent.</summary>
    public const string JobStarted = "job.started";

    /// <summary>An update job finished with the new container verified.</summary>
    public const string JobSucceeded = "job.succeeded";

    /// <summary>An update job failed before the old container was replaced.</summary>
    public const string JobFailed = "job.failed";

    /// <summary>The new container failed verification; the old one runs again.</summary>
    public const string JobRolledBack = "job.rolled_back";

    /// <summary>A container is being restarted because a container it depends on was updated (restart job taken).</summary>
    public const string RestartStarted = "restart.started";

    /// <summary>A dependent container was restarted and verified after its dependency was updated.</summary>
    public const string RestartSucceeded = "restart.succeeded";

    /// <summary>Restarting a dependent container failed or was refused; its dependency stays updated.</summary>
    public const string RestartFailed = "restart.failed";

    /// <summary>An update waits for someone to approve it.</summary>
    public const string ApprovalRequested = "approval.requested";

    /// <summary>A host's agent went silent or disconnected.</summary>
    public const string HostOffline = "host.offline";

    /// <summary>A host's agent connected.</summary>
    public const string HostOnline = "host.online";

    /// <summary>A check run finished; ends a digest.</summary>
    public const string CheckCompleted = "check.completed";

    /// <summary>A check run failed as a whole; also ends a digest.</summary>
    public const string CheckFailed = "check.failed";

    /// <summary>A registry's remaining pull/request budget is low.</summary>
    public const string RateLimitLow = "registry.rate_limit_low";

    /// <summary>A digest rule's one message for a whole check run (published by notifications, not routed).</summary>
    public const string Digest = "notification.digest";

    /// <summary>What "send test" delivers.</summary>
    public const string Test = "notification.test";

    /// <summary>Types that close a check run's digest.</summary>
    public static bool EndsCheckRun(string type) => type is CheckCompleted or CheckFailed;
}
