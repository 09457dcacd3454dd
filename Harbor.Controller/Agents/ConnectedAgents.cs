using System.Collections.Concurrent;
using Harbor.Controller.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Agents;

/// <summary>
/// The controller's in-memory view of connected agents: at most one live connection per agent id.
/// A reconnecting agent replaces its own previous connection, never another agent's.
/// </summary>
internal sealed class ConnectedAgents(TimeProvider timeProvider, IOptions<AgentHubOptions> options)
{
    private readonly ConcurrentDictionary<string, AgentConnection> connections = new(StringComparer.Ordinal);

    public void Register(AgentConnection connection)
    {
        AgentConnection? replaced = null;
        connections.AddOrUpdate(
            connection.AgentId,
            connection,
            (_, existing) =>
            {
                replaced = existing;
                return connection;
            });
        replaced?.Abort("Replaced by a newer connection from the same agent.", "replaced");
        ControllerMetrics.AgentsConnected.Set(connections.Count);
    }

    /// <summary>Removes the connection if it is still the current one for its agent.</summary>
    public bool Unregister(AgentConnection connection)
    {
        var removed = connections.TryRemove(new KeyValuePair<string, AgentConnection>(connection.AgentId, connection));
        ControllerMetrics.AgentsConnected.Set(connections.Count);
        return removed;
    }

    /// <summary>Agents with a live stream now.</summary>
    public int Count => connections.Count;

    public AgentConnection? Find(string agentId) => connections.GetValueOrDefault(agentId);

    public bool IsOnline(string agentId) =>
        connections.TryGetValue(agentId, out var connection)
        && !connection.IsExpired(timeProvider.GetUtcNow(), options.Value.OfflineAfter);

    public IReadOnlyCollection<AgentConnection> All => [.. connections.Values];
}
