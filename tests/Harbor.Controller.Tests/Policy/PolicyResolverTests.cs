using Harbor.Controller.Policy;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Tests.Policy;

public sealed class PolicyResolverTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ContainerFacts Container(Dictionary<string, string>? labels = null, string name = "web", string image = "nginx:1.27", string? project = "shop", string? group = "canary") =>
        new("agent-1", "nas", group, name, image, project, labels ?? []);

    private static PolicyRule Rule(long id, RuleScopeKind kind, string? value, Dictionary<string, string> settings, int priority = 0) =>
        new(id, $"rule{id}", new RuleScope(kind, value), priority, settings, Created.AddMinutes(id));

    private static PolicyResolver Resolver(Action<PolicyOptions>? configure = null)
    {
        var options = new PolicyOptions();
        configure?.Invoke(options);
        return new PolicyResolver(Options.Create(options));
    }

    private static string SourceOf(EffectivePolicy policy, string field) => policy.Explain.Single(s => s.Field == field).Source;

    [Fact]
    public void NothingConfigured_NotifyOnly_WithDefaultsExplained()
    {
        var policy = Resolver().Resolve(Container(), []);

        Assert.True(policy.Enabled);
        Assert.Equal(UpdateMode.Notify, policy.Mode);
        Assert.Equal(TimeSpan.FromHours(6), policy.Schedule.Interval);
        Assert.StartsWith("global settings", SourceOf(policy, PolicyField.Mode));
        Assert.Empty(policy.Problems);
        Assert.Equal(PolicyField.All.Count, policy.Explain.Count);
    }

    private static readonly Dictionary<string, (Dictionary<string, string> Labels, PolicyRule[] Rules, UpdateMode Expected, string Source)> Cases = new()
    {
        ["global rule beats defaults"] = ([], [Rule(1, RuleScopeKind.Global, null, new() { ["mode"] = "auto" })], UpdateMode.Auto, "rule 'rule1'"),
        ["host beats global"] = ([], [Rule(1, RuleScopeKind.Host, "nas", new() { ["mode"] = "approve" }), Rule(2, RuleScopeKind.Global, null, new() { ["mode"] = "auto" })], UpdateMode.Approve, "rule 'rule1'"),
        ["host group below host"] = ([], [Rule(1, RuleScopeKind.HostGroup, "canary", new() { ["mode"] = "auto" }), Rule(2, RuleScopeKind.Host, "agent-1", new() { ["mode"] = "approve" })], UpdateMode.Approve, "rule 'rule2'"),
        ["compose project beats host"] = ([], [Rule(1, RuleScopeKind.ComposeProject, "shop", new() { ["mode"] = "auto" }), Rule(2, RuleScopeKind.Host, "nas", new() { ["mode"] = "approve" })], UpdateMode.Auto, "rule 'rule1'"),
        ["container glob beats image glob"] = ([], [Rule(1, RuleScopeKind.Container, "w*", new() { ["mode"] = "approve" }), Rule(2, RuleScopeKind.Image, "nginx:*", new() { ["mode"] = "auto" })], UpdateMode.Approve, "rule 'rule1'"),
        ["same scope: higher priority wins"] = ([], [Rule(1, RuleScopeKind.Global, null, new() { ["mode"] = "approve" }, priority: 5), Rule(2, RuleScopeKind.Global, null, new() { ["mode"] = "auto" })], UpdateMode.Approve, "rule 'rule1'"),
        ["same scope and priority: newer wins"] = ([], [Rule(1, RuleScopeKind.Global, null, new() { ["mode"] = "approve" }), Rule(2, RuleScopeKind.Global, null, new() { ["mode"] = "auto" })], UpdateMode.Auto, "rule 'rule2'"),
        ["non-matching rule ignored"] = ([], [Rule(1, RuleScopeKind.Host, "other", new() { ["mode"] = "auto" })], UpdateMode.Notify, "global settings"),
        ["watchtower label beats rules"] = (new() { [PolicyLabels.Watchtower.MonitorOnly] = "true" }, [Rule(1, RuleScopeKind.Container, "web", new() { ["mode"] = "auto" })], UpdateMode.Notify, "label com.centurylinklabs.watchtower.monitor-only (Watchtower)"),
        ["harbor label beats watchtower label"] = (new() { [PolicyLabels.Watchtower.MonitorOnly] = "true", [PolicyLabels.Policy] = "auto" }, [], UpdateMode.Auto, "label harbor.policy"),
        ["invalid label falls back to the next layer"] = (new() { [PolicyLabels.Policy] = "yolo" }, [Rule(1, RuleScopeKind.Global, null, new() { ["mode"] = "approve" })], UpdateMode.Approve, "rule 'rule1'"),
        ["disabled by label → ignore"] = (new() { [PolicyLabels.Enable] = "false", [PolicyLabels.Policy] = "auto" }, [], UpdateMode.Ignore, "not enabled"),
        ["disabled by watchtower enable=false"] = (new() { [PolicyLabels.Watchtower.Enable] = "false" }, [], UpdateMode.Ignore, "not enabled"),
    };

    public static TheoryData<string> PrecedenceCases => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(PrecedenceCases))]
    public void Mode_FollowsPrecedence_AndExplainsItsSource(string because)
    {
        var (labels, rules, expected, source) = Cases[because];

        var policy = Resolver().Resolve(Container(labels), rules);

        Assert.True(expected == policy.Mode, $"{because}: got {policy.Mode}");
        Assert.StartsWith(source, SourceOf(policy, PolicyField.Mode));
    }

    [Fact]
    public void InvalidValues_AreReportedWithSourceAndReason_NeverSilentlyIgnored()
    {
        var labels = new Dictionary<string, string>
        {
            [PolicyLabels.Policy] = "yolo",
            [PolicyLabels.Schedule] = "every tuesday",
            [PolicyLabels.MinAge] = "a while",
            [PolicyLabels.Track] = "semver:^^1",
            [PolicyLabels.VerifyHttpProbe] = "ftp://x",
        };

        var policy = Resolver().Resolve(Container(labels), []);

        Assert.Equal(5, policy.Problems.Count);
        Assert.Contains(policy.Problems, p => p.Source == "label harbor.policy" && p.Message.Contains("auto, notify, approve or ignore", StringComparison.Ordinal));
        Assert.Contains(policy.Problems, p => p.Field == PolicyField.Schedule && p.Value == "every tuesday");
        Assert.Contains(policy.Problems, p => p.Field == PolicyField.MinAge && p.Message.Contains("duration", StringComparison.Ordinal));
        Assert.Contains(policy.Problems, p => p.Field == PolicyField.Track);
        Assert.Contains(policy.Problems, p => p.Field == PolicyField.HttpProbe);
        // The valid lower layers still apply.
        Assert.Equal(UpdateMode.Notify, policy.Mode);
        Assert.Equal(TimeSpan.FromHours(6), policy.Schedule.Interval);
    }

    [Fact]
    public void OptInMode_OnlyLabelledOrRuledContainersAreEnabled()
    {
        var resolver = Resolver(o => o.Selection = SelectionMode.OptIn);

        var unlabelled = resolver.Resolve(Container(), []);
        var labelled = resolver.Resolve(Container(new() { [PolicyLabels.Enable] = "true" }), []);
        var watchtower = resolver.Resolve(Container(new() { [PolicyLabels.Watchtower.Enable] = "true" }), []);
        var ruled = resolver.Resolve(Container(), [Rule(1, RuleScopeKind.ComposeProject, "shop", new() { ["enabled"] = "true" })]);

        Assert.False(unlabelled.Enabled);
        Assert.Equal(UpdateMode.Ignore, unlabelled.Mode);
        Assert.StartsWith("global selection mode (OptIn)", SourceOf(unlabelled, PolicyField.Enabled));
        Assert.True(labelled.Enabled);
        Assert.True(watchtower.Enabled);
        Assert.True(ruled.Enabled);
    }

    [Fact]
    public void WatchtowerLabels_MapToTheirHarborFields()
    {
        var policy = Resolver().Resolve(Container(new()
        {
            [PolicyLabels.Watchtower.DependsOn] = "db, cache",
            [PolicyLabels.Watchtower.StopSignal] = "sigint",
            [PolicyLabels.Watchtower.NoPull] = "true",
            [PolicyLabels.Watchtower.Scope] = "prod",
        }), []);

        Assert.Equal(["db", "cache"], policy.DependsOn);
        Assert.Equal("SIGINT", policy.StopSignal);
        Assert.True(policy.NoPull);
        Assert.Equal("prod", policy.Scope);
    }

    [Fact]
    public void ConfiguredScope_ExcludesContainersOutsideIt()
    {
        var resolver = Resolver(o => o.Scope = "prod");

        Assert.False(resolver.Resolve(Container(), []).Enabled);
        Assert.True(resolver.Resolve(Container(new() { [PolicyLabels.Watchtower.Scope] = "prod" }), []).Enabled);
    }

    [Fact]
    public void HarborLabels_SetEveryField()
    {
        var policy = Resolver().Resolve(Container(new()
        {
            [PolicyLabels.Policy] = "auto",
            [PolicyLabels.Schedule] = "TZ=Europe/Berlin 0 3 * * *",
            [PolicyLabels.Window] = "0 2 * * 6 / 3h",
            [PolicyLabels.Track] = "semver:^1.4",
            [PolicyLabels.TrackPrerelease] = "true",
            [PolicyLabels.DependsOn] = "db",
            [PolicyLabels.Group] = "wave-2",
            [PolicyLabels.MinAge] = "1d12h",
            [PolicyLabels.StopTimeout] = "45",
            [PolicyLabels.VerifyHealthTimeout] = "2m",
            [PolicyLabels.VerifyStabilityWindow] = "20s",
            [PolicyLabels.VerifyHttpProbe] = "http://127.0.0.1:8080/health",
        }), []);

        Assert.Equal(UpdateMode.Auto, policy.Mode);
        Assert.Equal("Europe/Berlin", policy.Schedule.TimeZone.Id);
        Assert.Equal(TimeSpan.FromHours(3), policy.Window!.Duration);
        Assert.Equal(TrackKind.Semver, policy.Track.Kind);
        Assert.True(policy.TrackPrerelease);
        Assert.Equal(["db"], policy.DependsOn);
        Assert.Equal("wave-2", policy.Group);
        Assert.Equal(TimeSpan.FromHours(36), policy.MinAge);
        Assert.Equal(TimeSpan.FromSeconds(45), policy.StopTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), policy.HealthTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), policy.StabilityWindow);
        Assert.Equal("http://127.0.0.1:8080/health", policy.HttpProbe);
        Assert.Empty(policy.Problems);
        Assert.All(policy.Explain.Where(s => s.Field is PolicyField.Mode or PolicyField.Track), s => Assert.StartsWith("label harbor.", s.Source));
    }

    [Fact]
    public void WindowAlways_LiftsAWindowFromALowerLayer()
    {
        var policy = Resolver(o => o.DefaultWindow = "0 3 * * * / 1h").Resolve(Container(new() { [PolicyLabels.Window] = "always" }), []);

        Assert.Null(policy.Window);
        Assert.Equal("label harbor.window", SourceOf(policy, PolicyField.Window));
    }
}
