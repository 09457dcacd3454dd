namespace Harbor.Controller.Policy;

/// <summary>The names of the policy settings, as they appear in rules, the explain output and the docs.</summary>
internal static class PolicyField
{
    public const string Enabled = "enabled";
    public const string Mode = "mode";
    public const string Schedule = "schedule";
    public const string CheckSchedule = "checkSchedule";
    public const string Window = "window";
    public const string Track = "track";
    public const string TrackPrerelease = "trackPrerelease";
    public const string DependsOn = "dependsOn";
    public const string Group = "group";
    public const string MinAge = "minAge";
    public const string StopTimeout = "stopTimeout";
    public const string StopSignal = "stopSignal";
    public const string HealthTimeout = "verify.healthTimeout";
    public const string StabilityWindow = "verify.stabilityWindow";
    public const string HttpProbe = "verify.httpProbe";
    public const string NoPull = "noPull";
    public const string Scope = "scope";
    public const string Strategy = "strategy";
    public const string RestartOnDependencyUpdate = "restartOnDependencyUpdate";

    /// <summary>Every field, in the order the explain output lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Enabled, Mode, Schedule, CheckSchedule, Window, Track, TrackPrerelease, DependsOn, Group, MinAge,
        StopTimeout, StopSignal, HealthTimeout, StabilityWindow, HttpProbe, NoPull, Scope, Strategy, RestartOnDependencyUpdate,
    ];
}
