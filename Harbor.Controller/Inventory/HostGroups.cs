using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Inventory;

/// <summary>Which rollout/policy group each host belongs to (set by users, not reported by agents).</summary>
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
}
