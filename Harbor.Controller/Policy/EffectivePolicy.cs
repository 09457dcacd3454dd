namespace Harbor.Controller.Policy;

/// <summary>
/// A container's policy after every layer (defaults, rules, Watchtower labels, Harbor labels) is
/// applied, with the source of each setting and every value that was rejected and why.
/// </summary>
internal sealed record EffectivePolicy
{
    public required bool Enabled { get; init; }

    /// <summary><see cref="UpdateMode.Ignore"/> whenever <see cref="Enabled"/> is false.</summary>
    public required UpdateMode Mode { get; init; }

    public required UpdateSchedule Schedule { get; init; }

    /// <summary>The container's own check schedule; null: checked with everything every Harbor:Controller:Checks:Interval.</summary>
    public UpdateSchedule? CheckSchedule { get; init; }

    public MaintenanceWindow? Window { get; init; }

    public required TrackSpec Track { get; init; }

    public bool TrackPrerelease { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public string? Group { get; init; }

    public TimeSpan MinAge { get; init; }

    public TimeSpan? StopTimeout { get; init; }

    public string? StopSignal { get; init; }

    public TimeSpan? HealthTimeout { get; init; }

    public TimeSpan? StabilityWindow { get; init; }

    public string? HttpProbe { get; init; }

    public bool NoPull { get; init; }

    public string? Scope { get; init; }

    /// <summary>How updates replace the container (recreate unless a label or rule asks for blue-green).</summary>
    public UpdateStrategy Strategy { get; init; } = UpdateStrategy.Recreate;

    /// <summary>Restart this container in place after a container it depends on was updated (default true).</summary>
    public bool RestartOnDependencyUpdate { get; init; } = true;

    /// <summary>Per field: the value in effect and where it came from.</summary>
    public required IReadOnlyList<PolicySetting> Explain { get; init; }

    /// <summary>Labels or rule values that were rejected, with the reason (never silently ignored).</summary>
    public required IReadOnlyList<PolicyProblem> Problems { get; init; }
}

/// <summary>One line of the explain output.</summary>
internal sealed record PolicySetting(string Field, string? Value, string Source);

/// <summary>A value Harbor could not use: where it was written, for which field, and why.</summary>
internal sealed record PolicyProblem(string Source, string Field, string Value, string Message);
