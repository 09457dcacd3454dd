using Harbor.Controller.Inventory;

namespace Harbor.Controller.Policy;

/// <summary>
/// The policy feature's entry point: validates rules, previews what they match and resolves a
/// container's effective policy (with the explain output). The API and, later, the scheduler and
/// the UI call this one implementation.
/// </summary>
internal sealed class PolicyService(PolicyResolver resolver, PolicyRuleStore rules, InventoryQueries inventory, HostGroups hostGroups, TimeProvider timeProvider)
{

    /// <summary>Turns a request into a draft, or returns every problem keyed by field (problem+json style).</summary>
    public (PolicyRuleDraft? Draft, Dictionary<string, string[]> Errors) Validate(PolicyRuleRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["A rule needs a name of 1-100 characters."];
        }

        RuleScope? scope = null;
        if (!PolicyRuleStore.TryParseScope(request.Scope ?? "global", out var kind))
        {
            errors["scope"] = [$"'{request.Scope}' is not a scope; use global, hostGroup, host, composeProject, image or container."];
        }
        else
        {
            scope = new RuleScope(kind, string.IsNullOrWhiteSpace(request.ScopeValue) ? null : request.ScopeValue.Trim());
            if (scope.Validate() is { } scopeError)
            {
                errors["scopeValue"] = [scopeError];
            }
        }

        var settings = request.Settings ?? [];
        if (settings.Count == 0)
        {
            errors["settings"] = [$"A rule sets at least one of: {string.Join(", ", PolicyField.All)}."];
        }

        foreach (var field in settings.Keys.Where(f => !PolicyField.All.Contains(f)))
        {
            errors[$"settings.{field}"] = [$"'{field}' is not a policy setting; use one of: {string.Join(", ", PolicyField.All)}."];
        }

        // Validate values with the resolver itself, so the API accepts exactly what resolution can use.
        var probe = new PolicyRule(0, name ?? "", new RuleScope(RuleScopeKind.Global, null), int.MaxValue, settings, DateTimeOffset.MaxValue);
        var facts = new ContainerFacts("", "", null, "", "", null, new Dictionary<string, string>());
        foreach (var problem in resolver.Resolve(facts, [probe]).Problems.Where(p => p.Source.StartsWith("rule ", StringComparison.Ordinal)))
        {
            errors[$"settings.{problem.Field}"] = [problem.Message];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new PolicyRuleDraft(name!, scope!, request.Priority ?? 0, settings), errors);
    }

    /// <summary>The containers (on every host) a rule would apply to.</summary>
    public async Task<RulePreviewResponse> PreviewAsync(PolicyRuleDraft draft, CancellationToken cancellationToken)
    {
        var scope = draft.Scope;
        var matches = new List<RulePreviewMatch>();
        await foreach (var (container, facts) in AllContainersAsync(new ContainerPass(), cancellationToken))
        {
            if (scope.Matches(facts))
            {
                matches.Add(new RulePreviewMatch(container.HostId, container.HostName, container.Id, container.Name, container.Image));
            }
        }

        return new RulePreviewResponse(matches.Count, matches);
    }

    public async Task<ContainerPolicyResponse?> ExplainAsync(string hostId, string containerIdOrName, CancellationToken cancellationToken)
    {
        var lookup = await inventory.FindContainerAsync(hostId, containerIdOrName, cancellationToken);
        if (lookup.Container is not { } container)
        {
            return null;
        }

        var policy = await ResolveAsync(container, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var window = policy.Window?.StateAt(now);
        return new ContainerPolicyResponse(
            container.HostId,
            container.Id,
            container.Name,
            policy.Enabled,
            policy.Mode.ToString().ToLowerInvariant(),
            policy.Schedule.Text,
            policy.Schedule.NextAfter(now),
            window is null ? null : new WindowResponse(policy.Window!.Text, window.Open, window.ClosesAt, window.OpensAt),
            policy.Track.Text,
            policy.TrackPrerelease,
            policy.DependsOn,
            policy.Group,
            policy.Explain.Single(s => s.Field == PolicyField.MinAge).Value ?? "0",
            policy.Explain,
            policy.Problems,
            policy.Strategy.Name,
            policy.CheckSchedule?.Text,
            policy.CheckSchedule?.NextAfter(container.Update.CheckedAt ?? now));
    }

    /// <summary>
    /// Resolves many containers' policies against one reading of the rules and host groups (a check run
    /// resolves every container it looks at).
    /// </summary>
    public async Task<Func<ContainerFacts, EffectivePolicy>> SnapshotAsync(CancellationToken cancellationToken)
    {
        var groups = await hostGroups.AllAsync(cancellationToken);
        var allRules = await rules.ListAsync(cancellationToken);
        return facts => resolver.Resolve(facts with { HostGroup = facts.HostGroup ?? groups.GetValueOrDefault(facts.HostId) }, allRules);
    }

    /// <summary>The effective policy of one container.</summary>
    public async Task<EffectivePolicy> ResolveAsync(ContainerResponse container, CancellationToken cancellationToken)
    {
        var groups = await hostGroups.AllAsync(cancellationToken);
        return resolver.Resolve(Facts(container, groups.GetValueOrDefault(container.HostId)), await rules.ListAsync(cancellationToken));
    }

    /// <summary>Every container with the given update status and its effective policy (the automation engine's input).</summary>
    public async Task<IReadOnlyList<(ContainerResponse Container, EffectivePolicy Policy, string? HostGroup)>> ResolveAllAsync(string updateStatus, CancellationToken cancellationToken)
    {
        var ruleList = await rules.ListAsync(cancellationToken);
        var resolved = new List<(ContainerResponse, EffectivePolicy, string?)>();
        await foreach (var (container, facts) in AllContainersAsync(new ContainerPass(UpdateStatus: updateStatus), cancellationToken))
        {
            resolved.Add((container, resolver.Resolve(facts, ruleList), facts.HostGroup));
        }

        return resolved;
    }

    /// <summary>Every container that has its own check schedule, with that schedule and when it was last checked (the check scheduler's input).</summary>
    public async Task<IReadOnlyList<(ContainerResponse Container, UpdateSchedule CheckSchedule)>> ResolveCheckSchedulesAsync(CancellationToken cancellationToken)
    {
        var ruleList = await rules.ListAsync(cancellationToken);
        var scheduled = new List<(ContainerResponse, UpdateSchedule)>();

        // Labels win over rules, so without a rule that sets one only a container with the label can have its
        // own check schedule: read just those (the scheduler passes every minute over possibly thousands).
        var pass = ruleList.Any(r => r.Settings.ContainsKey(PolicyField.CheckSchedule)) ? new ContainerPass() : new ContainerPass(WithLabel: PolicyLabels.CheckSchedule);
        await foreach (var (container, facts) in AllContainersAsync(pass, cancellationToken))
        {
            if (resolver.Resolve(facts, ruleList).CheckSchedule is { } schedule)
            {
                scheduled.Add((container, schedule));
            }
        }

        return scheduled;
    }

    /// <summary>Every container on one host with its effective policy (whom to restart after a dependency changed).</summary>
    public async Task<IReadOnlyList<(ContainerResponse Container, EffectivePolicy Policy)>> ResolveHostAsync(string hostId, CancellationToken cancellationToken)
    {
        var ruleList = await rules.ListAsync(cancellationToken);
        var resolved = new List<(ContainerResponse, EffectivePolicy)>();
        await foreach (var (container, facts) in AllContainersAsync(new ContainerPass(HostId: hostId), cancellationToken))
        {
            resolved.Add((container, resolver.Resolve(facts, ruleList)));
        }

        return resolved;
    }

    /// <summary>The pass's containers with their policy facts, read in one query (not page by page: a COUNT and a longer OFFSET scan each).</summary>
    private async IAsyncEnumerable<(ContainerResponse Container, ContainerFacts Facts)> AllContainersAsync(
        ContainerPass pass, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var groups = await hostGroups.AllAsync(cancellationToken);
        foreach (var container in await inventory.ListAllContainersAsync(visibleHosts: null, pass, cancellationToken))
        {
            yield return (container, Facts(container, groups.GetValueOrDefault(container.HostId)));
        }
    }

    private static ContainerFacts Facts(ContainerResponse container, string? hostGroup) =>
        new(container.HostId, container.HostName, hostGroup, container.Name, container.Image, container.ComposeProject, container.Labels);
}
