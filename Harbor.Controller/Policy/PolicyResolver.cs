using System.Globalization;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Policy;

/// <summary>
/// Computes a container's effective policy. Layers, lowest precedence first: global defaults →
/// controller rules (global → host group → host → Compose project → image → container) → Watchtower
/// labels → Harbor labels. For each field the highest layer with a valid value wins; an invalid value
/// is reported as a problem and the next layer down applies.
/// </summary>
internal sealed class PolicyResolver(IOptions<PolicyOptions> options)
{
    private sealed record Layer(string Source, IReadOnlyDictionary<string, string> Values);

    public EffectivePolicy Resolve(ContainerFacts container, IEnumerable<PolicyRule> rules)
    {
        var settings = options.Value;
        var layers = BuildLayers(container, rules, settings);
        var explain = new List<PolicySetting>();
        var problems = new List<PolicyProblem>();

        T Pick<T>(string field, T fallback, TryParser<T> parse, Func<T, string?> show)
        {
            for (var i = layers.Count - 1; i >= 0; i--)
            {
                if (!layers[i].Values.TryGetValue(field, out var text))
                {
                    continue;
                }

                if (parse(text, out var value, out var error))
                {
                    explain.Add(new PolicySetting(field, show(value), layers[i].Source));
                    return value;
                }

                problems.Add(new PolicyProblem(layers[i].Source, field, text, error ?? "invalid value"));
            }

            explain.Add(new PolicySetting(field, show(fallback), "default"));
            return fallback;
        }

        var enabled = Pick(PolicyField.Enabled, settings.Selection == SelectionMode.OptOut, PolicyValues.TryParseBool, b => b ? "true" : "false");
        var mode = Pick(PolicyField.Mode, UpdateMode.Notify, PolicyValues.TryParseMode, m => m.ToString().ToLowerInvariant());
        var schedule = Pick<UpdateSchedule?>(PolicyField.Schedule, null, ParseSchedule, s => s?.Text);
        var checkSchedule = Pick<UpdateSchedule?>(PolicyField.CheckSchedule, null, ParseSchedule, s => s?.Text);
        var window = Pick<MaintenanceWindow?>(PolicyField.Window, null, ParseWindow, w => w?.Text);
        var track = Pick(PolicyField.Track, TrackSpec.FollowTag, TrackSpec.TryParse, t => t.Text);
        var prerelease = Pick(PolicyField.TrackPrerelease, false, PolicyValues.TryParseBool, b => b ? "true" : "false");
        var dependsOn = Pick<IReadOnlyList<string>>(PolicyField.DependsOn, [], ParseList, l => l.Count == 0 ? null : string.Join(",", l));
        var group = Pick<string?>(PolicyField.Group, null, ParseText, g => g);
        var minAge = Pick(PolicyField.MinAge, TimeSpan.Zero, PolicyValues.TryParseDuration, ShowDuration);
        var stopTimeout = Pick<TimeSpan?>(PolicyField.StopTimeout, null, ParseOptionalDuration, d => d is null ? null : ShowDuration(d.Value));
        var stopSignal = Pick<string?>(PolicyField.StopSignal, null, ParseSignal, s => s);
        var healthTimeout = Pick<TimeSpan?>(PolicyField.HealthTimeout, null, ParseOptionalDuration, d => d is null ? null : ShowDuration(d.Value));
        var stability = Pick<TimeSpan?>(PolicyField.StabilityWindow, null, ParseOptionalDuration, d => d is null ? null : ShowDuration(d.Value));
        var probe = Pick<string?>(PolicyField.HttpProbe, null, ParseProbe, p => p);
        var noPull = Pick(PolicyField.NoPull, false, PolicyValues.TryParseBool, b => b ? "true" : "false");
        var scope = Pick<string?>(PolicyField.Scope, null, ParseText, s => s);
        var strategy = Pick(PolicyField.Strategy, UpdateStrategy.Recreate, UpdateStrategy.TryParse, s => s.Name);
        var restartOnDependency = Pick(PolicyField.RestartOnDependencyUpdate, true, PolicyValues.TryParseBool, b => b ? "true" : "false");

        // Watchtower's --scope: a controller with a scope manages only containers in that scope.
        if (enabled && !string.IsNullOrEmpty(settings.Scope) && !string.Equals(scope, settings.Scope, StringComparison.Ordinal))
        {
            enabled = false;
            Replace(explain, new PolicySetting(PolicyField.Enabled, "false", $"outside the configured scope '{settings.Scope}'"));
        }

        if (!enabled)
        {
            Replace(explain, new PolicySetting(PolicyField.Mode, "ignore", "not enabled (see enabled)"));
            mode = UpdateMode.Ignore;
        }

        return new EffectivePolicy
        {
            Enabled = enabled,
            Mode = mode,
            Schedule = schedule!,
            CheckSchedule = checkSchedule,
            Window = window,
            Track = track,
            TrackPrerelease = prerelease,
            DependsOn = dependsOn,
            Group = group,
            MinAge = minAge,
            StopTimeout = stopTimeout,
            StopSignal = stopSignal,
            HealthTimeout = healthTimeout,
            StabilityWindow = stability,
            HttpProbe = probe,
            NoPull = noPull,
            Scope = scope,
            Strategy = strategy,
            RestartOnDependencyUpdate = restartOnDependency,
            Explain = explain,
            Problems = problems,
        };
    }

    private static List<Layer> BuildLayers(ContainerFacts container, IEnumerable<PolicyRule> rules, PolicyOptions settings)
    {
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PolicyField.Mode] = settings.DefaultMode,
            [PolicyField.Schedule] = settings.DefaultSchedule,
            [PolicyField.MinAge] = settings.DefaultMinAge,
        };
        if (!string.IsNullOrWhiteSpace(settings.DefaultWindow))
        {
            defaults[PolicyField.Window] = settings.DefaultWindow;
        }

        var layers = new List<Layer>
        {
            new($"global settings ({PolicyOptions.SectionName})", defaults),
            new($"global selection mode ({settings.Selection})", new Dictionary<string, string>
            {
                [PolicyField.Enabled] = settings.Selection == SelectionMode.OptOut ? "true" : "false",
            }),
        };

        foreach (var rule in rules.Where(r => r.Scope.Matches(container))
                     .OrderBy(r => r.Scope.Kind).ThenBy(r => r.Priority).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id))
        {
            layers.Add(new Layer($"rule '{rule.Name}' (#{rule.Id}, {rule.Scope.Describe()})", rule.Settings));
        }

        layers.AddRange(WatchtowerLayers(container.Labels));
        layers.AddRange(HarborLayers(container.Labels));
        return layers;
    }

    private static IEnumerable<Layer> WatchtowerLayers(IReadOnlyDictionary<string, string> labels)
    {
        Layer? Map(string label, string field, Func<string, string>? convert = null) =>
            labels.TryGetValue(label, out var value)
                ? new Layer($"label {label} (Watchtower)", new Dictionary<string, string> { [field] = convert is null ? value : convert(value) })
                : null;

        // monitor-only=true means notify; monitor-only=false says nothing about the mode.
        var monitorOnly = labels.TryGetValue(PolicyLabels.Watchtower.MonitorOnly, out var monitor)
            && PolicyValues.TryParseBool(monitor, out var isMonitorOnly, out _) && isMonitorOnly
            ? new Layer($"label {PolicyLabels.Watchtower.MonitorOnly} (Watchtower)", new Dictionary<string, string> { [PolicyField.Mode] = "notify" })
            : null;

        return new[]
        {
            Map(PolicyLabels.Watchtower.Enable, PolicyField.Enabled),
            monitorOnly,
            Map(PolicyLabels.Watchtower.NoPull, PolicyField.NoPull),
            Map(PolicyLabels.Watchtower.DependsOn, PolicyField.DependsOn),
            Map(PolicyLabels.Watchtower.StopSignal, PolicyField.StopSignal),
            Map(PolicyLabels.Watchtower.Scope, PolicyField.Scope),
        }.OfType<Layer>();
    }

    private static IEnumerable<Layer> HarborLayers(IReadOnlyDictionary<string, string> labels)
    {
        (string Label, string Field)[] map =
        [
            (PolicyLabels.Enable, PolicyField.Enabled),
            (PolicyLabels.Policy, PolicyField.Mode),
            (PolicyLabels.Schedule, PolicyField.Schedule),
            (PolicyLabels.CheckSchedule, PolicyField.CheckSchedule),
            (PolicyLabels.Window, PolicyField.Window),
            (PolicyLabels.Track, PolicyField.Track),
            (PolicyLabels.TrackPrerelease, PolicyField.TrackPrerelease),
            (PolicyLabels.Strategy, PolicyField.Strategy),
            (PolicyLabels.DependsOn, PolicyField.DependsOn),
            (PolicyLabels.RestartOnDependencyUpdate, PolicyField.RestartOnDependencyUpdate),
            (PolicyLabels.Group, PolicyField.Group),
            (PolicyLabels.MinAge, PolicyField.MinAge),
            (PolicyLabels.StopTimeout, PolicyField.StopTimeout),
            (PolicyLabels.VerifyHealthTimeout, PolicyField.HealthTimeout),
            (PolicyLabels.VerifyStabilityWindow, PolicyField.StabilityWindow),
            (PolicyLabels.VerifyHttpProbe, PolicyField.HttpProbe),
        ];

        foreach (var (label, field) in map)
        {
            if (labels.TryGetValue(label, out var value))
            {
                yield return new Layer($"label {label}", new Dictionary<string, string> { [field] = value });
            }
        }
    }

    private delegate bool TryParser<T>(string text, out T value, out string? error);

    private static bool ParseSchedule(string text, out UpdateSchedule? value, out string? error) => UpdateSchedule.TryParse(text, out value, out error);

    private static bool ParseWindow(string text, out MaintenanceWindow? value, out string? error)
    {
        value = null;
        error = null;
        // An explicit "always" lifts a window set by a lower layer.
        return text.Trim().Equals("always", StringComparison.OrdinalIgnoreCase) || MaintenanceWindow.TryParse(text, out value, out error);
    }

    private static bool ParseList(string text, out IReadOnlyList<string> value, out string? error)
    {
        value = PolicyValues.ParseList(text);
        error = null;
        return true;
    }

    private static bool ParseText(string text, out string? value, out string? error)
    {
        value = text.Trim();
        error = value.Length is > 0 and <= 128 ? null : "must be 1-128 characters.";
        return error is null;
    }

    private static bool ParseOptionalDuration(string text, out TimeSpan? value, out string? error)
    {
        var ok = PolicyValues.TryParseDuration(text, out var duration, out error);
        value = ok ? duration : null;
        return ok;
    }

    private static bool ParseSignal(string text, out string? value, out string? error)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        var ok = trimmed.Length is > 0 and <= 16 && (trimmed.All(char.IsAsciiDigit) || trimmed.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '+'));
        value = ok ? trimmed : null;
        error = ok ? null : $"'{text}' is not a signal name such as SIGTERM or SIGINT.";
        return ok;
    }

    private static bool ParseProbe(string text, out string? value, out string? error)
    {
        value = text.Trim();
        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        error = ok ? null : $"'{text}' is not an http(s) URL.";
        return ok;
    }

    private static string ShowDuration(TimeSpan value) =>
        value == TimeSpan.Zero ? "0" : value.ToString(value.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static void Replace(List<PolicySetting> explain, PolicySetting setting)
    {
        var index = explain.FindIndex(s => s.Field == setting.Field);
        if (index >= 0)
        {
            explain[index] = setting;
        }
        else
        {
            explain.Add(setting);
        }
    }
}
