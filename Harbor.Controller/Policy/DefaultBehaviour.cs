using Microsoft.Extensions.Options;

namespace Harbor.Controller.Policy;

/// <summary>
/// Harbor's default behaviour as an admin sets it in the UI (first-run wizard, Settings): the mode and
/// schedule every container gets unless a label or a more specific rule says otherwise. Stored as one
/// global policy rule named <see cref="RuleName"/>, so it goes through the same validation, precedence
/// and explain output as any rule; without that rule the <c>Harbor:Policy</c> configuration applies.
/// </summary>
internal sealed class DefaultBehaviour(PolicyService policy, PolicyRuleStore rules, IOptions<PolicyOptions> options)
{
    public const string RuleName = "Default behaviour";

    /// <summary>The current mode and schedule, and whether they come from the rule (else from configuration).</summary>
    public async Task<(string Mode, string Schedule, bool FromRule)> GetAsync(CancellationToken cancellationToken)
    {
        var rule = await FindAsync(cancellationToken);
        var mode = rule?.Settings.GetValueOrDefault(PolicyField.Mode) ?? options.Value.DefaultMode;
        var schedule = rule?.Settings.GetValueOrDefault(PolicyField.Schedule) ?? options.Value.DefaultSchedule;
        return (mode, schedule, rule is not null);
    }

    /// <summary>Creates or replaces the rule; returns the problems by field (mode, schedule) when the values are not valid.</summary>
    public async Task<Dictionary<string, string[]>> SaveAsync(string? mode, string? schedule, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            [PolicyField.Mode] = mode?.Trim() ?? "",
            [PolicyField.Schedule] = schedule?.Trim() ?? "",
        };
        var (draft, errors) = policy.Validate(new PolicyRuleRequest(RuleName, "global", null, 0, settings));
        if (draft is null)
        {
            // The settings.<field> keys of the rules API, as the two fields of this form.
            return errors.ToDictionary(e => e.Key.Replace("settings.", "", StringComparison.Ordinal), e => e.Value);
        }

        if (await FindAsync(cancellationToken) is { } existing)
        {
            await rules.UpdateAsync(existing.Id, draft, cancellationToken);
        }
        else
        {
            await rules.CreateAsync(draft, cancellationToken);
        }

        return errors;
    }

    private async Task<PolicyRule?> FindAsync(CancellationToken cancellationToken) =>
        (await rules.ListAsync(cancellationToken)).FirstOrDefault(r => r.Name == RuleName && r.Scope.Kind == RuleScopeKind.Global);
}
