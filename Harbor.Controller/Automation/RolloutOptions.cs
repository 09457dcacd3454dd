using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Automation;

/// <summary>
/// Section <c>Harbor:Controller:Automation:Rollout</c>: automatic updates of the same image and digest
/// go through host groups in this order (the first is the canary), each group waiting the soak time after
/// the previous one finished. Hosts in no listed group come last. No groups: no staging.
/// </summary>
internal sealed class RolloutOptions : IValidatableObject
{
    public List<string> Groups { get; set; } = [];

    /// <summary>How long a finished group must stay healthy (no failed job) before the next group starts.</summary>
    public TimeSpan SoakTime { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Groups.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Rollout groups must have names.", [nameof(Groups)]);
        }

        if (Groups.Distinct(StringComparer.Ordinal).Count() != Groups.Count)
        {
            yield return new ValidationResult($"Rollout groups are listed once each: {string.Join(", ", Groups)}.", [nameof(Groups)]);
        }

        if (SoakTime < TimeSpan.Zero || SoakTime > TimeSpan.FromDays(30))
        {
            yield return new ValidationResult("Rollout:SoakTime must be between 0 and 30 days.", [nameof(SoakTime)]);
        }
    }
}
