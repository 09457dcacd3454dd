namespace Harbor.Agent.Connection;

/// <summary>The agent's view of its link to the controller, for health checks and metrics.</summary>
internal sealed class ConnectionStatus
{
    private volatile Snapshot current = new(false, "Not connected yet.", null);

    public Snapshot Current => current;

    public void SetConnected(DateTimeOffset since) => current = new Snapshot(true, null, since);

    public void SetDisconnected(string reason) => current = new Snapshot(false, reason, null);

    internal sealed record Snapshot(bool Connected, string? Reason, DateTimeOffset? ConnectedSince);
}
