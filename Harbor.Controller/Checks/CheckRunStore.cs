using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Checks;

/// <summary>The check_runs and container_checks tables.</summary>
internal sealed class CheckRunStore(SqliteConnectionFactory connections)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public async Task CreateAsync(CheckRun run, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO check_runs (id, triggered_by, scope, host_id, container_id, repositories, containers, status, created_at)
            VALUES (@Id, @TriggeredBy, @Scope, @HostId, @ContainerId, @Repositories, @Containers, 'queued', @CreatedAt)
            """,
            new
            {
                run.Id,
                run.TriggeredBy,
                Scope = run.Scope.Kind,
                run.Scope.HostId,
                run.Scope.ContainerId,
                Repositories = run.Scope.Repositories is null ? null : JsonSerializer.Serialize(run.Scope.Repositories.Select(r => r.ToString())),
                Containers = run.Scope.Containers is null ? null : JsonSerializer.Serialize(run.Scope.Containers, JsonSerializerOptions.Web),
                CreatedAt = DbTime.ToText(run.CreatedAt),
            },
            cancellationToken: cancellationToken));
    }

    public async Task MarkRunningAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE check_runs SET status = 'running', started_at = @at WHERE id = @id",
            new { id, at = DbTime.ToText(at) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stores results in one transaction; results for containers removed meanwhile are dropped.
    /// Returns the results whose status or remote digest differ from the container's previous check, with the previous status.
    /// </summary>
    public async Task<IReadOnlyList<(ContainerCheckResult Result, string? Previous)>> SaveResultsAsync(
        string runId, IReadOnlyCollection<ContainerCheckResult> results, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = DbTime.ToText(checkedAt);
        var changed = new List<(ContainerCheckResult, string?)>();
        foreach (var result in results)
        {
            var previous = await connection.QuerySingleOrDefaultAsync<(string Status, string? RemoteDigest)?>(new CommandDefinition(
                "SELECT status, remote_digest FROM container_checks WHERE host_id = @HostId AND container_id = @ContainerId",
                result, transaction, cancellationToken: cancellationToken));
            if (previous is null || previous.Value.Status != result.Status || previous.Value.RemoteDigest != result.RemoteDigest)
            {
                changed.Add((result, previous?.Status));
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO container_checks (host_id, container_id, status, reference, remote_digest, error, checked_at, check_run_id, target_tag)
            SELECT @HostId, @ContainerId, @Status, @Reference, @RemoteDigest, @Error, @CheckedAt, @RunId, @TargetTag
            WHERE EXISTS (SELECT 1 FROM containers WHERE host_id = @HostId AND id = @ContainerId)
            ON CONFLICT (host_id, container_id) DO UPDATE SET
                status = excluded.status, reference = excluded.reference, remote_digest = excluded.remote_digest,
                error = excluded.error, checked_at = excluded.checked_at, check_run_id = excluded.check_run_id, target_tag = excluded.target_tag
            """,
            results.Select(r => new { r.HostId, r.ContainerId, r.Status, r.Reference, r.RemoteDigest, r.Error, CheckedAt = at, RunId = runId, r.TargetTag }),
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task FinishAsync(string id, string status, CheckRunProgress progress, string? error, DateTimeOffset at, int keepRuns, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE check_runs SET status = @status, finished_at = @at, error = @error,
                containers_total = @Containers, references_total = @ReferencesTotal, references_done = @ReferencesDone,
                up_to_date = @UpToDate, update_available = @UpdateAvailable, pinned = @Pinned, local_only = @Local,
                errors = @Errors, registry_requests = @RegistryRequests
            WHERE id = @id
            """,
            new
            {
                id,
                status,
                error,
                at = DbTime.ToText(at),
                progress.Containers,
                progress.ReferencesTotal,
                progress.ReferencesDone,
                UpToDate = progress.CountOf(UpdateStatus.UpToDate),
                UpdateAvailable = progress.CountOf(UpdateStatus.UpdateAvailable),
                Pinned = progress.CountOf(UpdateStatus.Pinned),
                Local = progress.CountOf(UpdateStatus.Local),
                Errors = progress.CountOf(UpdateStatus.Error),
                progress.RegistryRequests,
            },
            cancellationToken: cancellationToken));

        // Bounded history: keep the newest runs only.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM check_runs WHERE id NOT IN (SELECT id FROM check_runs ORDER BY created_at DESC LIMIT @keepRuns)",
            new { keepRuns }, cancellationToken: cancellationToken));
    }

    /// <summary>Runs left queued or running by a controller that stopped (created before <paramref name="startedAt"/>) are failed, with the reason.</summary>
    public async Task<int> FailUnfinishedAsync(DateTimeOffset startedAt, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE check_runs SET status = 'failed', finished_at = @at, error = 'The controller stopped before this check finished.'
            WHERE status IN ('queued', 'running') AND created_at < @startedAt
            """,
            new { at = DbTime.ToText(at), startedAt = DbTime.ToText(startedAt) }, cancellationToken: cancellationToken));
    }

    public async Task<CheckRunRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CheckRunRow>(new CommandDefinition(
            "SELECT * FROM check_runs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CheckRunRow>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<CheckRunRow>(new CommandDefinition(
            "SELECT * FROM check_runs ORDER BY created_at DESC, id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken))];
    }
}
