using Harbor.Controller.Policy;

namespace Harbor.Controller.Automation;

/// <summary>Everything the decision about one container depends on, gathered by the engine.</summary>
/// <param name="Mode">The effective policy mode.</param>
/// <param name="Schedule">When the policy lets automatic updates run.</param>
/// <param name="Window">The maintenance window; null = always open.</param>
/// <param name="MinAge">How long a digest must have been seen before it is applied.</param>
/// <param name="FirstSeenAt">When this container first saw the remote digest.</param>
/// <param name="LastUpdateAt">The engine's last automatic job on this container, if any.</param>
/// <param name="Blocked">The digest failed verification on this container before.</param>
/// <param name="HostJobs">Jobs unfinished on the container's host right now (including ones started in this pass).</param>
/// <param name="MaxJobsPerHost">The per-host limit.</param>
/// <param name="WaitingFor">A dependency on the same host that has an update to apply first, if any.</param>
/// <param name="Problem">A reason Harbor cannot act at all (e.g. a dependency cycle).</param>
internal sealed record AutomationFacts(
    UpdateMode Mode,
    UpdateSchedule Schedule,
    MaintenanceWindow? Window,
    TimeSpan MinAge,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset? LastUpdateAt,
    bool Blocked,
    int HostJobs,
    int MaxJobsPerHost,
    string? WaitingFor = null,
    string? Problem = null);
