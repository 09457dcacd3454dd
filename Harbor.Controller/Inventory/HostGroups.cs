using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Inventory;

/// <summary>
/// Which group each host belongs to — at most one, set by users, never reported by agents. The same
/// groups scope policy rules, order staged rollouts and limit what RBAC-limited users see.
/// </summary>
internal sealed class HostGroups(SqliteConnectionFactory connections)
{
    /// <summary>False when the host is unknown.</summary>
    public async Task<bool> SetAsync(string hostId, string? group, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hosts SET host_group = @group WHERE id = @hostId", new { hostId, group }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyDictionary<string, string?>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string? Group)>(new CommandDefinition(
            "SELECT id, host_group FROM hosts", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Group, StringComparer.Ordinal);
    }

    /// <summary>Every non-empty group with its hosts, by name.</summary>
    public async Task<IReadOnlyList<HostGroupMembers>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HostGroup, string Id)>(new CommandDefinition(
            "SELECT host_group, id FROM hosts WHERE host_group IS NOT NULL ORDER BY host_group, id", cancellationToken: cancellationToken));
        return [.. rows.GroupBy(r => r.HostGroup, StringComparer.Ordinal).Select(g => new HostGroupMembers(g.Key, [.. g.Select(r => r.Id)]))];
    }

    /// <summary>
    /// Makes exactly these hosts the group's members (moving them out of any other group); an empty
    /// list empties the group. Returns the ids that name no known host, in which case nothing changed.
    /// </summary>
    public async Task<IReadOnlyList<string>> SetMembersAsync(string group, IReadOnlyList<string> hostIds, CancellationToken cancellationToken)
    {
        var ids = hostIds.Distinct(StringComparer.Ordinal).ToList();
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var known = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM hosts WHERE id IN @ids", new { ids }, transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        var unknown = ids.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            return unknown;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hosts SET host_group = NULL WHERE host_group = @group", new { group }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE hosts SET host_group = @group WHERE id IN @ids", new { group, ids }, transaction, cancellationToken: cancellationToken));
        transaction.Commit();
        return [];
    }
}
