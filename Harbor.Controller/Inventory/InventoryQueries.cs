using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Inventory;

/// <summary>Reads hosts and containers for the API, marking what is stale (host offline).</summary>
internal sealed class InventoryQueries(SqliteConnectionFactory connections, ConnectedAgents agents)
{
    public async Task<IReadOnlyList<HostResponse>> ListHostsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var hosts = await connection.QueryAsync<HostRow>(new CommandDefinition("SELECT * FROM hosts ORDER BY name, id", cancellationToken: cancellationToken));
        var counts = (await connection.QueryAsync<(string HostId, long Count)>(new CommandDefinition(
                "SELECT host_id, COUNT(*) FROM containers GROUP BY host_id", cancellationToken: cancellationToken)))
            .ToDictionary(c => c.HostId, c => (int)c.Count, StringComparer.Ordinal);
        return [.. hosts.Select(h => InventoryMapper.ToResponse(h, agents.IsOnline(h.Id), counts.GetValueOrDefault(h.Id)))];
    }

    public async Task<HostResponse?> GetHostAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var host = await connection.QuerySingleOrDefaultAsync<HostRow>(new CommandDefinition(
            "SELECT * FROM hosts WHERE id = @hostId", new { hostId }, cancellationToken: cancellationToken));
        if (host is null)
        {
            return null;
        }

        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM containers WHERE host_id = @hostId", new { hostId }, cancellationToken: cancellationToken));
        return InventoryMapper.ToResponse(host, agents.IsOnline(host.Id), count);
    }

    /// <param name="query">Filters and page.</param>
    /// <param name="visibleHosts">With RBAC host-group limits: the only hosts the caller may see; null for all.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<PagedResponse<ContainerResponse>> ListContainersAsync(ContainerQuery query, IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? ContainerQuery.DefaultPageSize;
        var parameters = new
        {
            query.Host,
            Name = query.Name is null ? null : "%" + EscapeLike(query.Name) + "%",
            query.State,
            query.UpdateStatus,
            Limit = pageSize,
            Offset = (long)(page - 1) * pageSize,
            AllHosts = visibleHosts is null,
            VisibleHosts = visibleHosts?.ToArray() ?? [],
        };
        const string where =
            """
            WHERE (@AllHosts OR c.host_id IN @VisibleHosts)
              AND (@Host IS NULL OR c.host_id = @Host)
              AND (@Name IS NULL OR c.name LIKE @Name ESCAPE '\')
              AND (@State IS NULL OR c.state = @State)
              AND (@UpdateStatus IS NULL OR COALESCE(cc.status, 'unchecked') = @UpdateStatus)
            """;

        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM containers c {CheckJoin} {where}", parameters, cancellationToken: cancellationToken));
        var items = await SelectContainersAsync(connection, where, "LIMIT @Limit OFFSET @Offset", parameters, cancellationToken);
        return new PagedResponse<ContainerResponse>(items, page, pageSize, total);
    }

    /// <summary>
    /// Every container the caller may see, in the list's order, in one query: the web UI filters in memory,
    /// and paging through the list instead costs a COUNT and an ever-longer OFFSET scan per page.
    /// </summary>
    public Task<List<ContainerResponse>> ListAllContainersAsync(IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken) =>
        ListAllContainersAsync(visibleHosts, new ContainerPass(), cancellationToken);

    /// <summary>Every container matching <paramref name="pass"/>'s filters, in one query (passes over the whole inventory).</summary>
    public async Task<List<ContainerResponse>> ListAllContainersAsync(IReadOnlySet<string>? visibleHosts, ContainerPass pass, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await SelectContainersAsync(
            connection,
            $"""
            {VisibleHostsWhere}
              AND (@HostId IS NULL OR c.host_id = @HostId)
              AND (@UpdateStatus IS NULL OR COALESCE(cc.status, 'unchecked') = @UpdateStatus)
              AND (@LabelPath IS NULL OR json_type(c.labels, @LabelPath) IS NOT NULL)
            """,
            limit: "",
            new
            {
                AllHosts = visibleHosts is null, VisibleHosts = visibleHosts?.ToArray() ?? [], pass.HostId, pass.UpdateStatus,
                LabelPath = pass.WithLabel is { } label ? "$.\"" + label.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : null,
            },
            cancellationToken);
    }

    /// <summary>How many of the containers the caller may see have each update status ("unchecked" included), in one query.</summary>
    public async Task<Dictionary<string, int>> CountByUpdateStatusAsync(IReadOnlySet<string>? visibleHosts, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            $"SELECT COALESCE(cc.status, 'unchecked'), COUNT(*) FROM containers c {CheckJoin} {VisibleHostsWhere} GROUP BY 1",
            new { AllHosts = visibleHosts is null, VisibleHosts = visibleHosts?.ToArray() ?? [] },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => (int)r.Count, StringComparer.Ordinal);
    }

    /// <summary>Finds a container by full id, name, or an unambiguous id prefix of at least 12 characters.</summary>
    public async Task<ContainerLookup> FindContainerAsync(string hostId, string idOrName, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ContainerRow, string, (ContainerRow Row, string HostName)>(
            new CommandDefinition(
                $"""
                SELECT c.*, {CheckColumns}, h.name AS host_name FROM containers c JOIN hosts h ON h.id = c.host_id {CheckJoin}
                WHERE c.host_id = @hostId
                  AND (c.id = @idOrName OR c.name = @idOrName OR (length(@idOrName) >= 12 AND c.id LIKE @prefix ESCAPE '\'))
                LIMIT 2
                """,
                new { hostId, idOrName, prefix = EscapeLike(idOrName) + "%" },
                cancellationToken: cancellationToken),
            (row, hostName) => (row, hostName),
            splitOn: "host_name")).ToList();

        var exact = rows.FirstOrDefault(r => r.Row.Id == idOrName || r.Row.Name == idOrName);
        if (exact.Row is not null)
        {
            return new ContainerLookup(InventoryMapper.ToResponse(exact.Row, exact.HostName, agents.IsOnline(hostId)), Ambiguous: false);
        }

        return rows.Count switch
        {
            0 => new ContainerLookup(null, Ambiguous: false),
            1 => new ContainerLookup(InventoryMapper.ToResponse(rows[0].Row, rows[0].HostName, agents.IsOnline(hostId)), Ambiguous: false),
            _ => new ContainerLookup(null, Ambiguous: true),
        };
    }

    /// <summary>The containers update detection looks at: all, one host's, or one container (by id, name or id prefix).</summary>
    public async Task<IReadOnlyList<ContainerImage>> ListContainerImagesAsync(string? hostId, string? containerId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HostId, string Id, string Name, string Image, string ImageId, string RepoDigests, string? Platform, string Os, string Architecture, string HostName, string? ComposeProject, string Labels)>(
            new CommandDefinition(
                """
                SELECT c.host_id, c.id, c.name, c.image, c.image_id, c.repo_digests, c.platform, h.os, h.architecture, h.name, c.compose_project, c.labels
                FROM containers c JOIN hosts h ON h.id = c.host_id
                WHERE (@hostId IS NULL OR c.host_id = @hostId)
                  AND (@containerId IS NULL OR c.id = @containerId)
                ORDER BY c.host_id, c.id
                """,
                new { hostId, containerId },
                cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ContainerImage(
            r.HostId, r.Id, r.Name, r.Image, r.ImageId,
            System.Text.Json.JsonSerializer.Deserialize<List<string>>(r.RepoDigests) ?? [],
            r.Platform, r.Os, r.Architecture, r.HostName, r.ComposeProject,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.Labels) ?? []))];
    }

    // The last update check of each container (written by the Checks feature).
    private const string VisibleHostsWhere = "WHERE (@AllHosts OR c.host_id IN @VisibleHosts)";

    private async Task<List<ContainerResponse>> SelectContainersAsync(SqliteConnection connection, string where, string limit, object parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ContainerRow, string, (ContainerRow Row, string HostName)>(
            new CommandDefinition(
                $"""
                SELECT c.*, {CheckColumns}, h.name AS host_name FROM containers c JOIN hosts h ON h.id = c.host_id {CheckJoin}
                {where}
                ORDER BY h.name, c.host_id, c.name, c.id
                {limit}
                """,
                parameters,
                cancellationToken: cancellationToken),
            (row, hostName) => (row, hostName),
            splitOn: "host_name");
        return [.. rows.Select(r => InventoryMapper.ToResponse(r.Row, r.HostName, agents.IsOnline(r.Row.HostId)))];
    }

    private const string CheckJoin = "LEFT JOIN container_checks cc ON cc.host_id = c.host_id AND cc.container_id = c.id";

    private const string CheckColumns =
        "cc.status AS check_status, cc.reference AS check_reference, cc.remote_digest AS check_remote_digest, cc.error AS check_error, cc.target_tag AS check_target_tag, cc.checked_at AS checked_at";

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

internal sealed record ContainerLookup(ContainerResponse? Container, bool Ambiguous);
