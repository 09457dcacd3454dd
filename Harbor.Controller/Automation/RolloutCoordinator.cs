using Harbor.Controller.Data;
using Harbor.Controller.Events;
using Harbor.Controller.Updates;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Automation;

/// <summary>
/// Staged rollout across host groups: automatic updates of one digest of one image go to the first
/// group (the canary) only; once every job there finished well and the soak time passed without a
/// failure, the next group may update, and so on. Any failed, rolled-back or refused job of the
/// rollout halts it for good: no further group is updated and the rollout says why.
/// </summary>
internal sealed class RolloutCoordinator(
    RolloutStore store,
    JobQueries jobs,
    EventHub events,
    IOptions<AutomationOptions> options,
    TimeProvider timeProvider,
    ILogger<RolloutCoordinator> logger)
{
    private static readonly HashSet<string> Failures = new(StringComparer.Ordinal) { "failed", "rolled_back", "refused" };

    private RolloutOptions Settings => options.Value.Rollout;

    public bool Enabled => Settings.Groups.Count > 0;

    /// <summary>The stage of a host: its group's position in the configured order; hosts in no listed group come last.</summary>
    public int StageOf(string? hostGroup)
    {
        var index = hostGroup is null ? -1 : Settings.Groups.IndexOf(hostGroup);
        return index < 0 ? Settings.Groups.Count : index;
    }

    public string StageName(long stage) => stage < Settings.Groups.Count ? $"group '{Settings.Groups[(int)stage]}'" : "hosts in no rollout group";

    /// <summary>Brings every rollout that concerns these candidates (and every unfinished one) up to date: halts, soaks, advances.</summary>
    public async Task<Dictionary<(string Reference, string Digest), RolloutRow>> PrepareAsync(IReadOnlyList<RolloutCandidate> candidates, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var rollouts = new Dictionary<(string, string), RolloutRow>();
        foreach (var row in await store.UnfinishedAsync(cancellationToken))
        {
            rollouts[(row.Reference, row.Digest)] = row;
        }

        foreach (var key in candidates.Select(c => (c.Reference, c.Digest)).Distinct())
        {
            if (!rollouts.ContainsKey(key))
            {
                rollouts[key] = await store.GetOrCreateAsync(key.Reference, key.Digest, now, cancellationToken);
            }
        }

        foreach (var (key, row) in rollouts)
        {
            await AdvanceAsync(row, [.. candidates.Where(c => (c.Reference, c.Digest) == key)], now, cancellationToken);
        }

        return rollouts;
    }

    /// <summary>Why a container in <paramref name="stage"/> may not update yet under <paramref name="rollout"/>; null when it may.</summary>
    public AutomationDecision? Gate(RolloutRow rollout, int stage)
    {
        if (rollout.State == RolloutRow.Halted)
        {
            return new AutomationDecision(AutomationAction.Blocked, $"The staged rollout of this digest halted: {rollout.HaltedReason}");
        }

        if (stage <= rollout.Stage)
        {
            return null;
        }

        var soakUntil = DbTime.ParseOrNull(rollout.SoakUntil);
        return new AutomationDecision(AutomationAction.Wait,
            soakUntil is { } until
                ? $"Staged rollout: {StageName(rollout.Stage)} updated and soaks until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC; this host's {StageName(stage)} follows."
                : $"Staged rollout: waits until {StageName(rollout.Stage)} has updated; this host's {StageName(stage)} is stage {stage + 1} of {Settings.Groups.Count + 1}.",
            soakUntil);
    }

    public Task RecordJobAsync(RolloutRow rollout, string jobId, int stage, string hostId, string containerName, CancellationToken cancellationToken) =>
        store.AddJobAsync(rollout.Id, jobId, stage, hostId, containerName, cancellationToken);

    public async Task<IReadOnlyList<RolloutResponse>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        var list = new List<RolloutResponse>();
        foreach (var row in await store.ListAsync(state, limit, cancellationToken))
        {
            var rolloutJobs = await store.JobsAsync(row.Id, cancellationToken);
            list.Add(ToResponse(row, rolloutJobs));
        }

        return list;
    }

    private async Task AdvanceAsync(RolloutRow row, IReadOnlyList<RolloutCandidate> candidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = false;
        while (row.State is RolloutRow.Active or RolloutRow.Soaking)
        {
            var recorded = await store.JobsAsync(row.Id, cancellationToken);
            var outcomes = await jobs.OutcomesAsync([.. recorded.Select(j => j.JobId)], cancellationToken);
            if (outcomes.FirstOrDefault(o => o.Outcome is { } outcome && Failures.Contains(outcome)) is { Id: not null } failed)
            {
                row.State = RolloutRow.Halted;
                row.HaltedJobId = failed.Id;
                row.HaltedReason = $"job {failed.Id} for '{failed.ContainerName}' on host '{failed.HostId}' ended {failed.Outcome}" +
                                   (failed.Reason is { Length: > 0 } reason ? $": {reason}" : ".");
                changed = true;
                Log.RolloutHalted(logger, row.Reference, row.Digest, row.HaltedReason);
                events.Publish(EventTypes.RolloutHalted, failed.HostId, ToResponse(row, recorded));
                break;
            }

            if (outcomes.Any(o => o.State != "finished") || candidates.Any(c => c.Stage == row.Stage))
            {
                break;
            }

            // Soak only a group that actually updated something; an empty group passes at once.
            if (recorded.Any(j => j.Stage == row.Stage) && Settings.SoakTime > TimeSpan.Zero)
            {
                if (row.SoakUntil is null)
                {
                    row.SoakUntil = DbTime.ToText(now + Settings.SoakTime);
                    row.State = RolloutRow.Soaking;
                    changed = true;
                    events.Publish(EventTypes.RolloutSoaking, null, ToResponse(row, recorded));
                    break;
                }

                if (now < DbTime.Parse(row.SoakUntil))
                {
                    break;
                }
            }

            row.Stage++;
            row.SoakUntil = null;
            row.State = row.Stage > Settings.Groups.Count ? RolloutRow.Completed : RolloutRow.Active;
            changed = true;
            events.Publish(row.State == RolloutRow.Completed ? EventTypes.RolloutCompleted : EventTypes.RolloutAdvanced, null, ToResponse(row, recorded));
        }

        if (changed)
        {
            row.UpdatedAt = DbTime.ToText(now);
            await store.SaveAsync(row, cancellationToken);
        }
    }

    private RolloutResponse ToResponse(RolloutRow row, IReadOnlyList<(string JobId, long Stage, string HostId, string ContainerName)> rolloutJobs) => new(
        row.Id, row.Reference, row.Digest, row.State, (int)row.Stage, StageName(row.Stage), Settings.Groups,
        DbTime.ParseOrNull(row.SoakUntil), row.HaltedReason, row.HaltedJobId,
        [.. rolloutJobs.Select(j => new RolloutJobResponse(j.JobId, (int)j.Stage, j.HostId, j.ContainerName))],
        DbTime.Parse(row.CreatedAt), DbTime.Parse(row.UpdatedAt == "" ? row.CreatedAt : row.UpdatedAt));
}
