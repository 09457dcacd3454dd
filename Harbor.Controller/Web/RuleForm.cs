using Harbor.Controller.Policy;

namespace Harbor.Controller.Web;

/// <summary>
/// What the rule editor holds: one rule with any number of settings (each field at most once), for a new
/// rule or an existing one, turned into the same request the REST API validates.
/// </summary>
/// <remarks>Public only because a component parameter's type must be as visible as the component.</remarks>
public sealed class RuleForm
{
    public const string GlobalScope = "global";

    /// <summary>The rule being edited; null for a new rule.</summary>
    public long? RuleId { get; private init; }

    public string Name { get; set; } = "";

    public string Scope { get; set; } = GlobalScope;

    public string ScopeValue { get; set; } = "";

    public int Priority { get; set; }

    public List<RuleSettingRow> Settings { get; } = [new(PolicyField.Mode, "")];

    public bool HasScopeValue => Scope != GlobalScope;

    /// <summary>Every field is already used: nothing more to add.</summary>
    public bool AllFieldsUsed => Settings.Count >= PolicyField.All.Count;

    /// <summary>An editor filled with a saved rule, to change it.</summary>
    internal static RuleForm From(PolicyRule rule)
    {
        var form = new RuleForm
        {
            RuleId = rule.Id,
            Name = rule.Name,
            Scope = PolicyRuleStore.ScopeName(rule.Scope.Kind),
            ScopeValue = rule.Scope.Value ?? "",
            Priority = rule.Priority,
        };
        form.Settings.Clear();
        // In the explain order, so the editor lists a rule's settings as the policy page does.
        form.Settings.AddRange(PolicyField.All.Where(rule.Settings.ContainsKey).Select(f => new RuleSettingRow(f, rule.Settings[f])));
        return form;
    }

    /// <summary>The fields a row may switch to: its own and those no other row uses.</summary>
    public IEnumerable<string> FieldsFor(RuleSettingRow row) =>
        PolicyField.All.Where(f => f == row.Field || Settings.TrueForAll(s => s.Field != f));

    /// <summary>Adds a row for the first unused field (none when every field is used).</summary>
    public void AddSetting()
    {
        if (PolicyField.All.FirstOrDefault(f => Settings.TrueForAll(s => s.Field != f)) is { } free)
        {
            Settings.Add(new RuleSettingRow(free, ""));
        }
    }

    public void RemoveSetting(RuleSettingRow row) => Settings.Remove(row);

    /// <summary>The API request; a blank name becomes <paramref name="nameWhenBlank"/> (a preview needs none).</summary>
    internal PolicyRuleRequest ToRequest(string? nameWhenBlank = null) => new(
        string.IsNullOrWhiteSpace(Name) ? nameWhenBlank : Name.Trim(),
        Scope,
        HasScopeValue ? ScopeValue.Trim() : null,
        Priority,
        // Rows are unique by construction (FieldsFor); a duplicate would still keep the last value, never throw.
        Settings.GroupBy(s => s.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.Ordinal));

    /// <summary>An example value for a field, shown as the input's placeholder (the docs/policy.md table in short).</summary>
    public static string Example(string field) => field switch
    {
        PolicyField.Enabled or PolicyField.TrackPrerelease or PolicyField.NoPull or PolicyField.RestartOnDependencyUpdate => "true or false",
        PolicyField.Mode => "auto, notify, approve or ignore",
        PolicyField.Schedule => "0 3 * * * or 6h",
        PolicyField.Window => "0 2 * * 6 / 3h",
        PolicyField.Track => "tag or semver:^1.4",
        PolicyField.DependsOn => "db, cache",
        PolicyField.Group => "canary",
        PolicyField.MinAge => "24h",
        PolicyField.StopTimeout => "30s",
        PolicyField.StopSignal => "SIGTERM",
        PolicyField.HealthTimeout => "2m",
        PolicyField.StabilityWindow => "10s",
        PolicyField.HttpProbe => "http://localhost:8080/health",
        PolicyField.Scope => "prod",
        PolicyField.Strategy => "recreate or blue-green",
        _ => "",
    };
}

/// <summary>One setting of a rule in the editor.</summary>
public sealed class RuleSettingRow(string field, string value)
{
    public string Field { get; set; } = field;

    public string Value { get; set; } = value;
}
