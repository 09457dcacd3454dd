using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Policy;

/// <summary>Which containers Harbor manages by default.</summary>
internal enum SelectionMode
{
    /// <summary>Every container, except those excluded by a label or rule.</summary>
    OptOut,

    /// <summary>Only containers a label or rule includes (harbor.enable=true, enabled: true).</summary>
    OptIn,
}

/// <summary>Section <c>Harbor:Policy</c>: the global defaults, the lowest layer of every container's policy.</summary>
internal sealed class PolicyOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Policy";

    public SelectionMode Selection { get; set; } = SelectionMode.OptOut;

    /// <summary>auto, notify, approve or ignore. Notify by default: Harbor changes nothing until told to.</summary>
    public string DefaultMode { get; set; } = "notify";

    /// <summary>How often to check when no label or rule sets a schedule (cron or interval).</summary>
    [Required]
    public string DefaultSchedule { get; set; } = "6h";

    /// <summary>Default maintenance window ("&lt;cron&gt; / &lt;duration&gt;"); empty = always open.</summary>
    public string? DefaultWindow { get; set; }

    /// <summary>Default cooldown before a newly seen digest is applied (e.g. "0", "24h").</summary>
    public string DefaultMinAge { get; set; } = "0";

    /// <summary>When set, only containers whose Watchtower scope label equals this are managed (Watchtower's --scope).</summary>
    public string? Scope { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PolicyValues.TryParseMode(DefaultMode, out _, out var modeError))
        {
            yield return new ValidationResult(modeError, [nameof(DefaultMode)]);
        }

        if (!UpdateSchedule.TryParse(DefaultSchedule, out _, out var scheduleError))
        {
            yield return new ValidationResult(scheduleError, [nameof(DefaultSchedule)]);
        }

        if (!string.IsNullOrWhiteSpace(DefaultWindow) && !MaintenanceWindow.TryParse(DefaultWindow, out _, out var windowError))
        {
            yield return new ValidationResult(windowError, [nameof(DefaultWindow)]);
        }

        if (!PolicyValues.TryParseDuration(DefaultMinAge, out _, out var ageError))
        {
            yield return new ValidationResult(ageError, [nameof(DefaultMinAge)]);
        }
    }
}
