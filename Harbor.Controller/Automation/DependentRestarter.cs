using Dapper;
using Harbor.Controller.Checks;
using Harbor.Controller.Data;
using Harbor.Controller.Policy;
using Harbor.Controller.Updates;

namespace Harbor.Controller.Automation;

/// <summary>
/// After a job replaced a container's image, restarts the containers on the same host that depend on it, so they
/// reconnect to the new one (what Watchtower users expect). One restart job per dependent, in dependency order,
/// one after another (each waits for the previous one). A container is restarted when it depends directly on
/// the replaced container or on one restarted for it, and none of these hold:
/// <list type="bullet">
/// <item>its policy says <c>restartOnDependencyUpdate: false</c> (label <c>harbor.restart-on-dependency-update</c>);</item>
/// <item>its mode is notify or ignore (Harbor promised not to touch it);</item>
/// <item>it is not running;</item>
/// <item>it is being updated itself: a job is under way, or the engine holds its own update back only for a
/// dependency (its update follows and replaces it anyway; that update's success restarts its own dependents).</item>
/// </list>
/// A failed restart is reported (job history, job.finished / restart.failed) and never undoes the update.
/// </summary>
internal sealed class DependentRestarter(
    PolicyService policies,
    DependencyGraph graphs,
    AutomationStore decisions,
    JobQueries jobs,
    UpdateJobService updates,
    SqliteConnectionFactory connections,
    ILogger<DependentRestarter> logger)
{
    /// <summary>
    /// Called with every finished job. Acts once per successful update or rollback that changed the image; a result the
    /// agent sends again (after a lost acknowledgement) does not restart anything twice.
    /// </summary>
    public async Task<IReadOnlyList<JobResponse>> AfterJobAsync(UpdateJobRow job, string outcome, string? fromImageId, string? toImageId, CancellationToken cancellationToken)
    {
        if (job.Kind == UpdateMapper.RestartKind || outcome != "succeeded" || string.IsNullOrEmpty(toImageId) || toImageId == fromImageId)
        {
            return [];
        }

        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM update_jobs WHERE caused_by_job_id = @Id", job, cancellationToken: cancellationToken)) > 0)
            {
                return [];
            }
        }

        var containers = await policies.ResolveHostAsync(job.HostId, cancellationToken);
        var graph = await graphs.BuildAsync(job.HostId, containers, cancellationToken);
        var (order, cycles) = DependencyGraph.SortSkippingCycles(graph, containers.Select(c => c.Container.Name));
        var byName = containers.ToDictionary(c => c.Container.Name, StringComparer.Ordinal);
        var active = (await jobs.ActiveJobsAsync(cancellationToken)).Where(j => j.HostId == job.HostId).Select(j => j.ContainerName).ToHashSet(StringComparer.Ordinal);
        var decided = await decisions.DecisionsAsync(cancellationToken);

        var changed = new HashSet<string>(StringComparer.Ordinal) { job.ContainerName };
        var started = new List<JobResponse>();
        string? after = null;
        foreach (var name in order.Where(n => n != job.ContainerName && graph[n].Any(changed.Contains)))
        {
            var (container, policy) = byName[name];
            var skip = SkipReason(container, policy, active.Contains(name), decided.GetValueOrDefault((job.HostId, name)));
            if (skip is not null)
            {
                Log.DependentNotRestarted(logger, name, job.HostId, job.ContainerName, skip);
                continue;
            }

            var via = graph[name].First(changed.Contains);
            var cause = via == job.ContainerName
                ? $"dependency '{job.ContainerName}' updated by job {job.Id}"
                : $"dependency '{via}' restarted after '{job.ContainerName}' was updated by job {job.Id}";
            var start = await updates.StartRestartAsync(container, new RestartOrigin(cause, job.Id, after), job.RequestedBy,
                AutomationEngine.VerifyOf(policy), cancellationToken);
            if (start.Job is not { } restart)
            {
                Log.DependentNotRestarted(logger, name, job.HostId, job.ContainerName, $"{start.Title}: {start.Detail}");
                continue;
            }

            Log.DependentRestartStarted(logger, restart.Id, name, job.HostId, cause);
            started.Add(restart);
            changed.Add(name);
            after = restart.Id;
        }

        foreach (var (name, problem) in cycles)
        {
            Log.DependentNotRestarted(logger, name, job.HostId, job.ContainerName, problem);
        }

        return started;
    }

    private static string? SkipReason(Inventory.ContainerResponse container, EffectivePolicy policy, bool hasActiveJob, DecisionRow? decision)
    {
        if (!policy.RestartOnDependencyUpdate)
        {
            return $"{PolicyField.RestartOnDependencyUpdate} is false";
        }

        if (policy.Mode is UpdateMode.Ignore or UpdateMode.Notify)
        {
            return $"its policy is {policy.Mode.ToString().ToLowerInvariant()}: Harbor does not touch it";
        }

        if (container.State != "running")
        {
            return $"it is {container.State}";
        }

        if (hasActiveJob)
        {
            return "a job is working on it already";
        }

        // Its own update only waited for this dependency: the engine updates it next, which restarts it anyway.
        return decision is { Action: "wait" } && decision.Reason.StartsWith(AutomationDecider.WaitsForDependency, StringComparison.Ordinal)
            && container.Update.Status == UpdateStatus.UpdateAvailable && container.Update.RemoteDigest == decision.Digest
            ? "its own update follows (it waited for this dependency)"
            : null;
    }
}
