using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Automation;

/// <summary>Section <c>Harbor:Controller:Automation</c>: how the engine applies each container's policy.</summary>
internal sealed class AutomationOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Controller:Automation";

    /// <summary>Off: the engine decides nothing (checks still run, jobs can still be started by hand).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Besides after each check run and each finished job, the engine looks again this often, so that
    /// windows opening, schedules coming due, cooldowns ending and approvals expiring are acted on.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Automatic jobs at a time per host (jobs started by hand count against it too).</summary>
    [Range(1, 100)]
    public int MaxJobsPerHost { get; set; } = 1;

    /// <summary>A pending approval nobody decided within this time becomes expired (and is not asked again for that digest).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ApprovalExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Staged rollout across host groups (canary first).</summary>
    public RolloutOptions Rollout { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Rollout.Validate(new ValidationContext(Rollout)).Select(r => new ValidationResult(r.ErrorMessage, [.. r.MemberNames.Select(m => $"Rollout:{m}")]));
}
