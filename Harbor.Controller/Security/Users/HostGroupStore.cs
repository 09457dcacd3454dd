using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Security.Users;

/// <summary>Named sets of hosts that RBAC can limit a user to.</summary>
internal sealed class HostGroupStore(SqliteConnectionFactory connections)
{
    public async Task<IReadOnlyList<HostGroupResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string GroupName, string HostId)>(new CommandDefinition(
            "SELECT group_name, host_id FROM host_group_members ORDER BY group_name, host_id", cancellationToken: cancellationToken));
        return [.. rows.GroupBy(r => r.GroupName).Select(g => new HostGroupResponse(g.Key, [.. g.Select(r => r.HostId)]))];
    }

    /// <summary>Replaces the group's members; an empty list removes the group.</summary>
    public async Task SetAsync(string name, IReadOnlyList<string> hostIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM host_group_members WHERE group_name = @name", new { name }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO host_group_members (group_name, host_id) VALUES (@name, @hostId)",
            hostIds.Distinct(StringComparer.Ordinal).Select(hostId => new { name, hostId }),
            transaction,
            cancellationToken: cancellationToken));
        transaction.Commit();
    }
}
