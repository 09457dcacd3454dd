namespace Harbor.Controller.Policy;

/// <summary>
/// Every container label Harbor reads, in one place, with what it means (docs/policy.md mirrors this).
/// Labels win over controller rules; Harbor's own labels win over Watchtower's aliases.
/// </summary>
internal static class PolicyLabels
{
    /// <summary>"true"/"false": include or exclude the container (opt-in / opt-out mode decides the default).</summary>
    public const string Enable = "harbor.enable";

    /// <summary>auto | notify | approve | ignore: what Harbor does when an update is available.</summary>
    public const string Policy = "harbor.policy";

    /// <summary>A cron expression (5 or 6 fields, optionally prefixed "TZ=Area/City ") or an interval like "6h".</summary>
    public const string Schedule = "harbor.schedule";

    /// <summary>
    /// When this container is checked for updates: a cron expression (optionally "TZ=Area/City ") or an
    /// interval, like <see cref="Schedule"/>. A container with its own check schedule is checked on that
    /// schedule only; the scheduled checks of everything (Harbor:Controller:Checks:Interval) skip it.
    /// Manual, API and webhook checks still include it.
    /// </summary>
    public const string CheckSchedule = "harbor.check-schedule";

    /// <summary>A maintenance window: "&lt;cron&gt; / &lt;duration&gt;", e.g. "0 3 * * * / 2h". Automatic updates wait for it.</summary>
    public const string Window = "harbor.window";

    /// <summary>What to follow: "tag" (the configured tag's digest, the default), "semver:^1.4", "semver:~2.1", "semver:&gt;=1.2 &lt;2".</summary>
    public const string Track = "harbor.track";

    /// <summary>"true" lets semver tracking pick pre-releases.</summary>
    public const string TrackPrerelease = "harbor.track.prerelease";

    /// <summary>
    /// How an update replaces the container: "recreate" (default: stop the old one, start the new one) or
    /// "blue-green" (start the new one beside the old one, verify, then switch; needs the enable_blue_green
    /// feature flag, a user-defined network and no published ports or static addresses).
    /// </summary>
    public const string Strategy = "harbor.strategy";

    /// <summary>Comma-separated names of containers (on the same host) that must be updated first.</summary>
    public const string DependsOn = "harbor.depends-on";

    /// <summary>
    /// "false": do not restart this container after a container it depends on was updated (default "true":
    /// restarted in place so it reconnects, like Watchtower does).
    /// </summary>
    public const string RestartOnDependencyUpdate = "harbor.restart-on-dependency-update";

    /// <summary>Rollout group of the container's host, e.g. "canary".</summary>
    public const string Group = "harbor.group";

    /// <summary>Minimum time a new digest must have been seen before it is applied, e.g. "24h".</summary>
    public const string MinAge = "harbor.min-age";

    /// <summary>Seconds (or a duration like "30s") to wait for a graceful stop.</summary>
    public const string StopTimeout = "harbor.stop-timeout";

    /// <summary>Health-check wait limit during verification, e.g. "2m".</summary>
    public const string VerifyHealthTimeout = "harbor.verify.health-timeout";

    /// <summary>How long a container without a healthcheck must keep running, e.g. "10s".</summary>
    public const string VerifyStabilityWindow = "harbor.verify.stability-window";

    /// <summary>An HTTP URL (from the host's point of view, or "http://:8080/health" for the container's published port) that must answer 2xx.</summary>
    public const string VerifyHttpProbe = "harbor.verify.http-probe";

    /// <summary>Watchtower's labels, honoured so users can switch without relabelling.</summary>
    internal static class Watchtower
    {
        public const string Enable = "com.centurylinklabs.watchtower.enable";
        public const string MonitorOnly = "com.centurylinklabs.watchtower.monitor-only";
        public const string NoPull = "com.centurylinklabs.watchtower.no-pull";
        public const string DependsOn = "com.centurylinklabs.watchtower.depends-on";
        public const string StopSignal = "com.centurylinklabs.watchtower.stop-signal";
        public const string Scope = "com.centurylinklabs.watchtower.scope";
    }

    /// <summary>Labels Docker Compose sets that policy reads.</summary>
    internal static class Compose
    {
        public const string Project = "com.docker.compose.project";
        public const string Service = "com.docker.compose.service";

        /// <summary>"db:service_started:false,cache:service_healthy:true" (Compose v2).</summary>
        public const string DependsOn = "com.docker.compose.depends_on";
    }
}
