using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harbor.Testing;
using YamlDotNet.RepresentationModel;

namespace Harbor.Controller.Tests.Diagnostics;

/// <summary>
/// What an operator copies out of docs/ works: the alert rules load in Prometheus (promtool) and fire on
/// the series they are about, and the rules, the Grafana dashboard and docs/metrics.md name only metrics
/// the code really exports.
/// </summary>
public sealed partial class ObservabilityDocsTests
{
    private static readonly string Docs = Path.Combine(RepositoryPaths.Root, "docs");
    private static readonly string RulesFile = Path.Combine(Docs, "alerts", "harbor-rules.yml");
    private static readonly string DashboardFile = Path.Combine(Docs, "grafana", "harbor.json");

    /// <summary>Documented metrics the code does not define (none: every documented metric is real).</summary>
    private static readonly HashSet<string> DefinedElsewhere = [];

    [Fact]
    public void AlertRules_EveryRuleIsComplete_AndUsesOnlyDocumentedMetrics()
    {
        var documented = DocumentedMetrics();
        var yaml = new YamlStream();
        using (var reader = File.OpenText(RulesFile))
        {
            yaml.Load(reader);
        }

        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        var rules = groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).ToList();
        var alerts = rules.Select(r => Scalar(r, "alert")).ToList();

        Assert.Equal(
            ["HarborAgentOffline", "HarborUpdateFailed", "HarborUpdateRolledBack", "HarborRegistryErrors", "HarborRegistryRateLimitLow",
             "HarborUpdateJobsStuck", "HarborAgentsRejected", "HarborNotificationOutboxBacklog"],
            alerts);
        foreach (var rule in rules)
        {
            var alert = Scalar(rule, "alert");
            var used = MetricsIn(Scalar(rule, "expr"));
            Assert.True(used.Count > 0, $"{alert} uses no Harbor metric");
            Assert.All(used, m => Assert.True(documented.Contains(BaseName(m, documented)), $"{alert} uses {m}, which docs/metrics.md does not document"));
            var annotations = (YamlMappingNode)rule["annotations"];
            Assert.False(string.IsNullOrWhiteSpace(Scalar(annotations, "summary")), $"{alert} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(Scalar(annotations, "description")), $"{alert} has no description");
            Assert.Contains(Scalar((YamlMappingNode)rule["labels"], "severity"), new[] { "info", "warning", "critical" });
        }
    }

    [Fact]
    public async Task AlertRules_LoadInPrometheus_AndFireOnTheSeriesTheyAreAbout()
    {
        // promtool comes with Debian's "prometheus" package (eng/test.sh installs it).
        var check = await PromtoolAsync("check", "rules", RulesFile);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 8 rules found", check.Output);

        var unitTests = await PromtoolAsync("test", "rules", Path.Combine(Docs, "alerts", "harbor-rules.test.yml"));
        Assert.True(unitTests.ExitCode == 0, unitTests.Output);
    }

    [Fact]
    public void GrafanaDashboard_IsValidJson_AndEveryQueryUsesDocumentedMetrics()
    {
        var documented = DocumentedMetrics();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var root = dashboard.RootElement;
        Assert.Equal("harbor-overview", root.GetProperty("uid").GetString());
        var panels = root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.True(panels.Count >= 10, $"{panels.Count} panels");
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());

        var used = new HashSet<string>();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            foreach (var target in targets)
            {
                var metrics = MetricsIn(target.GetProperty("expr").GetString()!);
                Assert.True(metrics.Count > 0, $"panel '{title}' queries no Harbor metric");
                foreach (var metric in metrics)
                {
                    Assert.True(documented.Contains(BaseName(metric, documented)), $"panel '{title}' uses {metric}, which docs/metrics.md does not document");
                    used.Add(BaseName(metric, documented));
                }
            }
        }

        // The operator's questions the issue names each have a panel.
        Assert.Superset(
            new HashSet<string> { "harbor_agents_connected", "harbor_containers_by_update_status", "harbor_update_jobs_total", "harbor_update_job_duration_seconds",
                "harbor_update_rollbacks_total", "harbor_agent_disconnects_total", "harbor_agent_stream_messages_total", "harbor_inventory_resyncs_total",
                "harbor_registry_requests_total", "harbor_registry_ratelimit_remaining", "harbor_notification_outbox_messages" },
            used);
    }

    [Fact]
    public void MetricsDoc_ListsExactlyTheMetricsTheCodeDefines()
    {
        var documented = DocumentedMetrics();
        var defined = new HashSet<string>();
        foreach (var project in new[] { "Harbor.Controller", "Harbor.Agent" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, project), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in MetricDefinition().Matches(File.ReadAllText(file)))
                {
                    defined.Add(match.Groups[1].Value);
                }
            }
        }

        Assert.Empty(defined.Except(documented).Order());
        Assert.Empty(documented.Except(defined).Except(DefinedElsewhere).Order());
    }

    private static HashSet<string> DocumentedMetrics() =>
        [.. DocumentedMetric().Matches(File.ReadAllText(Path.Combine(Docs, "metrics.md"))).Select(m => m.Groups[1].Value)];

    private static HashSet<string> MetricsIn(string expression) => [.. MetricReference().Matches(expression).Select(m => m.Value)];

    /// <summary>A histogram's series (…_bucket, …_sum, …_count) belong to the documented histogram.</summary>
    private static string BaseName(string metric, HashSet<string> documented)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (metric.EndsWith(suffix, StringComparison.Ordinal) && documented.Contains(metric[..^suffix.Length]))
            {
                return metric[..^suffix.Length];
            }
        }

        return metric;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^\| `(harbor_[a-z0-9_]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedMetric();

    [GeneratedRegex(@"\bharbor_[a-z0-9_]+")]
    private static partial Regex MetricReference();

    [GeneratedRegex(@"Metrics\.Create(?:Counter|Gauge|Histogram|Summary)\(\s*""(harbor_[a-z0-9_]+)""")]
    private static partial Regex MetricDefinition();
}
