using System.Text.Json;
using System.Threading.Channels;
using Harbor.Controller.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Starts check runs and reports on them. Runs are queued (bounded) and executed by
/// <see cref="CheckWorker"/>; asking again for a scope that is already queued returns that run.
/// </summary>
internal sealed class CheckService(CheckRunStore store, TimeProvider timeProvider, IOptions<CheckOptions> options)
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, CheckRun> queuedByScope = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CheckRunProgress> active = new(StringComparer.Ordinal);
    private readonly Channel<CheckRun> queue = Channel.CreateUnbounded<CheckRun>(new UnboundedChannelOptions { SingleReader = true });
    private int queued;

    public ChannelReader<CheckRun> Queue => queue.Reader;

    /// <summary>When this controller began taking checks; older unfinished runs belong to a previous process.</summary>
    public DateTimeOffset StartedAt { get; } = timeProvider.GetUtcNow();

    /// <summary>Queues a run; null when the queue is full.</summary>
    public async Task<CheckRunResponse?> StartAsync(CheckScope scope, string triggeredBy, CancellationToken cancellationToken)
    {
        CheckRun run;
        lock (sync)
        {
            if (queuedByScope.TryGetValue(scope.Key, out var existing))
            {
                return Queued(existing);
            }

            if (queued >= options.Value.MaxQueuedRuns)
            {
                return null;
            }

            run = new CheckRun(Guid.CreateVersion7().ToString("N"), triggeredBy, scope, timeProvider.GetUtcNow());
            queuedByScope[scope.Key] = run;
            queued++;
        }

        try
        {
            await store.CreateAsync(run, cancellationToken);
        }
        catch
        {
            Dequeued(run);
            throw;
        }

        queue.Writer.TryWrite(run);
        return Queued(run);
    }

    /// <summary>Called by the worker when a run leaves the queue.</summary>
    public CheckRunProgress Begin(CheckRun run)
    {
        Dequeued(run);
        var progress = new CheckRunProgress();
        lock (sync)
        {
            active[run.Id] = progress;
        }

        return progress;
    }

    public void End(CheckRun run)
    {
        lock (sync)
        {
            active.Remove(run.Id);
        }
    }

    public async Task<CheckRunResponse?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        CheckRunProgress? live;
        lock (sync)
        {
            live = active.GetValueOrDefault(id);
        }

        return ToResponse(row, live);
    }

    public async Task<IReadOnlyList<CheckRunResponse>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(limit, cancellationToken);
        lock (sync)
        {
            return [.. rows.Select(r => ToResponse(r, active.GetValueOrDefault(r.Id)))];
        }
    }

    /// <summary>Waits until a run has finished (tests, benchmarks).</summary>
    public async Task<CheckRunResponse> WaitAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"No check {id}.");
            if (run.Status is CheckRunStore.Completed or CheckRunStore.Failed)
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Check {id} did not finish within {timeout}: {run}");
            }

            await Task.Delay(5);
        }
    }

    private void Dequeued(CheckRun run)
    {
        lock (sync)
        {
            if (queuedByScope.TryGetValue(run.Scope.Key, out var current) && current.Id == run.Id)
            {
                queuedByScope.Remove(run.Scope.Key);
            }

            queued--;
        }
    }

    private static CheckRunResponse Queued(CheckRun run) => new(
        run.Id, run.TriggeredBy, ScopeOf(run.Scope.Kind, run.Scope.HostId, run.Scope.ContainerId, run.Scope.Repositories?.Select(r => r.ToString()).ToList(), run.Scope.Containers),
        CheckRunStore.Queued, run.CreatedAt, null, null, new CheckProgressResponse(0, 0, 0), new CheckResultCounts(0, 0, 0, 0, 0), 0, null);

    private static CheckRunResponse ToResponse(CheckRunRow row, CheckRunProgress? live)
    {
        var repositories = row.Repositories is null ? null : JsonSerializer.Deserialize<List<string>>(row.Repositories);
        var containers = row.Containers is null ? null : JsonSerializer.Deserialize<List<CheckTarget>>(row.Containers, JsonSerializerOptions.Web);
        var scope = ScopeOf(row.Scope, row.HostId, row.ContainerId, repositories, containers);
        if (live is not null && row.Status is CheckRunStore.Queued or CheckRunStore.Running)
        {
            return new CheckRunResponse(
                row.Id, row.TriggeredBy, scope, CheckRunStore.Running, DbTime.Parse(row.CreatedAt), DbTime.ParseOrNull(row.StartedAt), null,
                new CheckProgressResponse(live.Containers, live.ReferencesTotal, live.ReferencesDone),
                new CheckResultCounts(
                    live.CountOf(UpdateStatus.UpToDate), live.CountOf(UpdateStatus.UpdateAvailable), live.CountOf(UpdateStatus.Pinned),
                    live.CountOf(UpdateStatus.Local), live.CountOf(UpdateStatus.Error)),
                live.RegistryRequests, null);
        }

        return new CheckRunResponse(
            row.Id, row.TriggeredBy, scope, row.Status, DbTime.Parse(row.CreatedAt), DbTime.ParseOrNull(row.StartedAt), DbTime.ParseOrNull(row.FinishedAt),
            new CheckProgressResponse((int)row.ContainersTotal, (int)row.ReferencesTotal, (int)row.ReferencesDone),
            new CheckResultCounts((int)row.UpToDate, (int)row.UpdateAvailable, (int)row.Pinned, (int)row.LocalOnly, (int)row.Errors),
            (int)row.RegistryRequests, row.Error);
    }

    private static CheckScopeResponse ScopeOf(string kind, string? hostId, string? containerId, IReadOnlyList<string>? repositories, IReadOnlyList<CheckTarget>? containers) =>
        new(kind, hostId, containerId, repositories, containers);
}
