using Harbor.Controller.Checks;
using Harbor.Controller.Data;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;
using Harbor.Controller.Updates;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Automation;

/// <summary>
/// Applies each container's effective policy to its update: ignore, notify (an event), approve (a
/// pending approval) or auto (a digest-pinned job when window, schedule, minimum age, per-host
/// concurrency, blocked digests and dependency order allow it). One pass at a time; every decision is
/// stored with its reason so a user can read why a container was or was not updated.
/// </summary>
internal sealed class AutomationEngine(
    PolicyService policy,
    AutomationStore store,
    ApprovalService approvals,
    UpdateJobService updates,
    JobQueries jobs,
    RolloutCoordinator rollouts,
    DependencyGraph graphs,
    EventHub events,
    IOptions<AutomationOptions> options,
    TimeProvider timeProvider,
    ILogger<AutomationEngine> logger) : IDisposable
{
    public const string Trigger = "policy";
    public const string RequestedBy = "automation";

    private readonly SemaphoreSlim pass = new(1, 1);

    /// <summary>One pass over every container with an update available. Returns the decisions made.</summary>
    public async Task<IReadOnlyList<DecisionRow>> EvaluateAsync(CancellationToken cancellationToken)
    {
        await pass.WaitAsync(cancellationToken);
        try
        {
            await approvals.ExpireDueAsync(cancellationToken);
            var candidates = await policy.ResolveAllAsync(UpdateStatus.UpdateAvailable, cancellationToken);
            var active = await jobs.ActiveJobsAsync(cancellationToken);
            var running = active.ToDictionary(j => (j.HostId, j.ContainerName), j => j.JobId);
            var previous = await store.DecisionsAsync(cancellationToken);
            var sightings = await store.SightingsAsync(cancellationToken);
            var staged = rollouts.Enabled
                ? await rollouts.PrepareAsync(
                    [.. candidates.Where(c => c.Policy.Mode == UpdateMode.Auto && c.Container.Update is { Reference: not null, RemoteDigest: not null })
                        .Select(c => new RolloutCandidate(c.Container.Update.Reference!, c.Container.Update.RemoteDigest!, rollouts.StageOf(c.HostGroup)))],
                    cancellationToken)
                : [];
            var made = new List<DecisionRow>();
            foreach (var host in candidates.GroupBy(c => c.Container.HostId, StringComparer.Ordinal))
            {
                var hostJobs = active.Count(j => j.HostId == host.Key);
                var ordered = await OrderAsync(host.Key, [.. host], cancellationToken);
                var stage = rollouts.Enabled ? rollouts.StageOf(host.First().HostGroup) : 0;
                var decided = new Dictionary<string, AutomationAction>(StringComparer.Ordinal);
                foreach (var (container, effective, dependencies, problem) in ordered)
                {
                    var rollout = container.Update is { Reference: { } reference, RemoteDigest: { } digest } ? staged.GetValueOrDefault((reference, digest)) : null;
                    var row = await DecideAsync(container, effective, dependencies, problem, decided, hostJobs,
                        running.GetValueOrDefault((container.HostId, container.Name)), rollout, stage, previous, sightings, cancellationToken);
                    if (row is null)
                    {
                        continue;
                    }

                    decided[container.Name] = Enum.Parse<AutomationAction>(row.Action, ignoreCase: true);
                    hostJobs += row.Action == Name(AutomationAction.Update) && !running.ContainsKey((host.Key, container.Name)) ? 1 : 0;
                    made.Add(row);
                }
            }

            return made;
        }
        finally
        {
            pass.Release();
        }
    }

    private async Task<DecisionRow?> DecideAsync(
        ContainerResponse container, EffectivePolicy effective, IReadOnlyList<string> dependencies, string? problem,
        Dictionary<string, AutomationAction> decided, int hostJobs, string? runningJob, RolloutRow? rollout, int stage,
        IReadOnlyDictionary<(string, string), DecisionRow> previous, Dictionary<(string, string, string), DateTimeOffset> sightings,
        CancellationToken cancellationToken)
    {
        if (container.Update.RemoteDigest is not { } digest)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (!sightings.TryGetValue((container.HostId, container.Name, digest), out var firstSeen))
        {
            firstSeen = await store.SightAsync(container.HostId, container.Name, digest, now, cancellationToken);
        }

        var last = previous.GetValueOrDefault((container.HostId, container.Name));
        var lastUpdateAt = DbTime.ParseOrNull(last?.LastUpdateAt);

        // A dependency with its own update still to come (or under way) goes first.
        var waitingFor = dependencies.FirstOrDefault(d => decided.TryGetValue(d, out var action)
            && action is AutomationAction.Update or AutomationAction.Wait or AutomationAction.Approve);
        var blocked = effective.Mode == UpdateMode.Auto && await jobs.IsBlockedAsync(container.HostId, container.Name, digest, cancellationToken);
        var facts = new AutomationFacts(
            effective.Mode, effective.Schedule, effective.Window, effective.MinAge, firstSeen, lastUpdateAt, blocked,
            hostJobs, options.Value.MaxJobsPerHost, waitingFor, problem);
        // A job already working on this container (started by the engine or by hand) is the decision; never a second one.
        var decision = runningJob is null
            ? AutomationDecider.Decide(facts, now)
            : new AutomationDecision(AutomationAction.Update, $"Job {runningJob} is working on this container now.");
        if (runningJob is null && effective.Mode == UpdateMode.Auto && rollout is not null
            && decision.Action is AutomationAction.Update or AutomationAction.Wait && rollouts.Gate(rollout, stage) is { } gated)
        {
            // A halted rollout blocks whatever else is in the way; a later stage only replaces "go ahead".
            decision = gated.Action == AutomationAction.Blocked || decision.Action == AutomationAction.Update ? gated : decision;
        }

        string? jobId = runningJob;

        switch (runningJob is null ? decision.Action : AutomationAction.None)
        {
            case AutomationAction.Approve when !(last is { Action: "approve" } && last.Digest == digest):
                await approvals.RequestAsync(container.HostId, container.Id, container.Name, container.Image, digest, cancellationToken);
                break;
            case AutomationAction.Update:
                var start = await updates.StartUpdateAsync(container.HostId, container.Id, new UpdateRequest(digest, Verify: VerifyOf(effective)),
                    RequestedBy, cancellationToken, Trigger);
                if (start.Job is { } job)
                {
                    jobId = job.Id;
                    lastUpdateAt = now;
                    if (rollout is not null)
                    {
                        await rollouts.RecordJobAsync(rollout, job.Id, stage, container.HostId, container.Name, cancellationToken);
                    }

                    Log.UpdateStarted(logger, job.Id, container.Name, container.HostId, digest);
                }
                else
                {
                    // Offline host or a job already running clear by themselves; anything else needs a user.
                    var transient = start.Title is "Host offline" or "A job is already running";
                    decision = new AutomationDecision(transient ? AutomationAction.Wait : AutomationAction.Error, $"{start.Title}: {start.Detail}");
                }

                break;
        }

        var notified = last?.NotifiedDigest;
        if (effective.Mode != UpdateMode.Ignore && notified != digest)
        {
            notified = digest;
            events.Publish(EventTypes.UpdateAvailable, container.HostId, new
            {
                hostId = container.HostId, containerId = container.Id, containerName = container.Name, image = container.Image,
                remoteDigest = digest, mode = Name(effective.Mode), notifyOnly = effective.Mode == UpdateMode.Notify,
            });
        }

        var row = new DecisionRow
        {
            HostId = container.HostId,
            ContainerName = container.Name,
            ContainerId = container.Id,
            Digest = digest,
            Mode = Name(effective.Mode),
            Action = Name(decision.Action),
            Reason = decision.Reason,
            NotBefore = DbTime.ToText(decision.NotBefore),
            DecidedAt = DbTime.ToText(now),
            JobId = jobId ?? (last?.Digest == digest ? last.JobId : null),
            LastUpdateAt = DbTime.ToText(lastUpdateAt),
            NotifiedDigest = notified,
        };
        // Steady state (same decision as last pass) writes nothing: a pass over many waiting containers stays a read.
        if (last is not null && last.Action == row.Action && last.Reason == row.Reason && last.Digest == row.Digest && last.NotBefore == row.NotBefore
            && last.JobId == row.JobId && last.LastUpdateAt == row.LastUpdateAt && last.NotifiedDigest == row.NotifiedDigest
            && last.ContainerId == row.ContainerId && last.Mode == row.Mode)
        {
            return last;
        }

        await store.SaveDecisionAsync(row, cancellationToken);

        if (last is null || last.Action != row.Action || last.Reason != row.Reason || last.Digest != row.Digest)
        {
            Log.DecisionChanged(logger, container.Name, container.HostId, row.Action, row.Reason);
            events.Publish(EventTypes.AutomationDecision, container.HostId, AutomationDecisionResponse.From(row));
        }

        return row;
    }

    /// <summary>
    /// The host's candidates in dependency order (dependencies first), each with its dependencies'
    /// names; the members of a cycle carry the cycle as their problem and are never updated.
    /// </summary>
    private async Task<List<(ContainerResponse Container, EffectivePolicy Policy, IReadOnlyList<string> Dependencies, string? Problem)>> OrderAsync(
        string hostId, List<(ContainerResponse Container, EffectivePolicy Policy, string? HostGroup)> candidates, CancellationToken cancellationToken)
    {
        var graph = await graphs.BuildAsync(hostId, candidates.Select(c => (c.Container, c.Policy)), cancellationToken);
        var (order, problems) = DependencyGraph.SortSkippingCycles(graph, candidates.Select(c => c.Container.Name));
        var byName = candidates.ToDictionary(c => c.Container.Name, StringComparer.Ordinal);
        return
        [
            .. order.Select(n => (byName[n].Container, byName[n].Policy, graph[n], (string?)null)),
            .. problems.Select(p => (byName[p.Key].Container, byName[p.Key].Policy, (IReadOnlyList<string>)[], (string?)(p.Value + " Nothing in the cycle is updated automatically."))),
        ];
    }

    internal static VerifyRequest? VerifyOf(EffectivePolicy effective) =>
        effective.StabilityWindow is null && effective.HealthTimeout is null && effective.HttpProbe is null
            ? null
            : new VerifyRequest(effective.StabilityWindow?.TotalSeconds, effective.HealthTimeout?.TotalSeconds, effective.HttpProbe);

    public void Dispose() => pass.Dispose();

    internal static string Name(AutomationAction action) => action.ToString().ToLowerInvariant();

    private static string Name(UpdateMode mode) => mode.ToString().ToLowerInvariant();
}
