using System.Security.Claims;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Security.Authorization;

/// <summary>
/// Host-group limits (with <c>enable_rbac</c>): a caller whose principal names host groups sees and
/// acts on only the hosts in those groups (<c>hosts.host_group</c>, the same groups rules and staged
/// rollouts use). A caller with no host-group claims reaches every host.
/// </summary>
internal sealed class HostAccess(SqliteConnectionFactory connections)
{
    public static IReadOnlyList<string> GroupsOf(ClaimsPrincipal user) =>
        [.. user.FindAll(HarborClaims.HostGroup).Select(c => c.Value)];

    public async Task<bool> CanAccessAsync(ClaimsPrincipal user, string hostId, CancellationToken cancellationToken)
    {
        var groups = GroupsOf(user);
        if (groups.Count == 0)
        {
            return true;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM hosts WHERE id = @hostId AND host_group IN @groups)",
            new { hostId, groups },
            cancellationToken: cancellationToken));
    }

    /// <summary>The hosts a limited caller may see, or null when the caller is not limited.</summary>
    public async Task<IReadOnlySet<string>?> VisibleHostsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var groups = GroupsOf(user);
        if (groups.Count == 0)
        {
            return null;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var hosts = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM hosts WHERE host_group IN @groups",
            new { groups },
            cancellationToken: cancellationToken));
        return hosts.ToHashSet(StringComparer.Ordinal);
    }
}
