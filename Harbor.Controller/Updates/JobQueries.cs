using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Inventory;

namespace Harbor.Controller.Updates;

/// <summary>Reads jobs, a container's history and its blocked digests for the API.</summary>
internal sealed class JobQueries(SqliteConnectionFactory connections)
{
    /// <summary>Jobs matching the query; with <paramref name="visibleHosts"/>, only jobs on those hosts.</summary>
    public async Task<PagedResponse<JobResponse>> ListAsync(JobQuery query, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? JobQuery.DefaultPageSize;
        var parameters = new
        {
            query.Host, query.Container, query.State, query.Outcome, query.Kind,
            Limited = visibleHosts is not null, Visible = visibleHosts?.ToArray() ?? [],
            Limit = pageSize, Offset = (long)(page - 1) * pageSize,
        };
        const string where =
            """
            WHERE (@Host IS NULL OR host_id = @Host)
              AND (NOT @Limited OR host_id IN @Visible)
              AND (@Container IS NULL OR container_name = @Container)
              AND (@State IS NULL OR state = @State)
              AND (@Outcome IS NULL OR outcome = @Outcome)
              AND (@Kind IS NULL OR kind = @Kind)
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM update_jobs {where}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<UpdateJobRow>(new CommandDefinition(
            $"SELECT * FROM update_jobs {where} ORDER BY created_at DESC, rowid DESC LIMIT @Limit OFFSET @Offset",
            parameters,
            cancellationToken: cancellationToken));
        return new PagedResponse<JobResponse>([.. rows.Select(r => UpdateMapper.ToResponse(r))], page, pageSize, total);
    }

    /// <summary>Every job not finished yet (at most one per container: the table's unique index).</summary>
    public async Task<IReadOnlyList<ActiveJob>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ActiveJob>(new CommandDefinition(
            "SELECT id AS Id, host_id AS HostId, container_name AS ContainerName, kind AS Kind, current_step AS CurrentStep, progress AS Progress FROM update_jobs WHERE state <> 'finished'",
            cancellationToken: cancellationToken))];
    }

    /// <summary>One job with its steps and its event log.</summary>
    public async Task<JobResponse?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UpdateJobRow>(new CommandDefinition(
            "SELECT * FROM update_jobs WHERE id = @jobId", new { jobId }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var events = await connection.QueryAsync<(long Sequence, string Step, string Message, double Progress, string At)>(new CommandDefinition(
            "SELECT sequence, step, message, progress, at FROM update_job_events WHERE job_id = @jobId ORDER BY id",
            new { jobId },
            cancellationToken: cancellationToken));
        return UpdateMapper.ToResponse(row, [.. events.Select(e => new JobEventResponse(e.Sequence, e.Step, e.Message, e.Progress, DbTime.Parse(e.At)))]);
    }

    public async Task<IReadOnlyList<BlockedDigestResponse>> BlockedDigestsAsync(string hostId, string containerName, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Digest, string JobId, string Reason, string BlockedAt)>(new CommandDefinition(
            "SELECT digest, job_id, reason, blocked_at FROM blocked_digests WHERE host_id = @hostId AND container_name = @containerName ORDER BY blocked_at",
            new { hostId, containerName },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BlockedDigestResponse(hostId, containerName, r.Digest, r.JobId, r.Reason, DbTime.Parse(r.BlockedAt)))];
    }

    /// <summary>Lets the digest be installed on the container again; false when it was not blocked.</summary>
    public async Task<bool> ClearBlockedDigestAsync(string hostId, string containerName, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocked_digests WHERE host_id = @hostId AND container_name = @containerName AND digest = @digest",
            new { hostId, containerName, digest },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Every unfinished job: host, container name and job id (per-host concurrency, jobs under way).</summary>
    public async Task<IReadOnlyList<(string HostId, string ContainerName, string JobId)>> ActiveJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, string)>(new CommandDefinition(
            "SELECT host_id, container_name, id FROM update_jobs WHERE state <> 'finished'", cancellationToken: cancellationToken))];
    }

    /// <summary>State, outcome and reason of the given jobs (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<(string Id, string HostId, string ContainerName, string State, string? Outcome, string? Reason)>> OutcomesAsync(
        IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, string, string, string, string?, string?)>(new CommandDefinition(
            "SELECT id, host_id, container_name, state, outcome, reason FROM update_jobs WHERE id IN @jobIds",
            new { jobIds }, cancellationToken: cancellationToken))];
    }

    public async Task<bool> IsBlockedAsync(string hostId, string containerName, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM blocked_digests WHERE host_id = @hostId AND container_name = @containerName AND digest = @digest",
            new { hostId, containerName, digest },
            cancellationToken: cancellationToken)) > 0;
    }
}
