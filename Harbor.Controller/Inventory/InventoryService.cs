using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Inventory;

/// <summary>
/// The inventory feature's entry point for agent streams: turns what agents report into ordered
/// writes. The API reads through <see cref="InventoryQueries"/>.
/// </summary>
internal sealed class InventoryService(InventoryWriteQueue queue)
{
    /// <summary>
    /// Records the connection and waits until it is committed: the agent is welcomed only after its host is
    /// visible in the API, so a client that saw the agent connect never gets "no such host".
    /// </summary>
    public async ValueTask HostConnectedAsync(Hello hello, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await queue.EnqueueAsync(new HostConnectedWrite(InventoryMapper.ToHostRow(hello, at)), cancellationToken);
        await queue.FlushAsync(cancellationToken);
    }

    public ValueTask HostSeenAsync(string hostId, DateTimeOffset at, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(new HostSeenWrite(hostId, at), cancellationToken);

    public ValueTask HostDisconnectedAsync(string hostId, DateTimeOffset at) =>
        // Not cancellable: the stream is already gone, but the fact that it went must be recorded.
        queue.EnqueueAsync(new HostDisconnectedWrite(hostId, at), CancellationToken.None);

    public ValueTask EngineStatusChangedAsync(string hostId, EngineStatus status, DateTimeOffset at, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(
            new EngineStatusWrite(
                hostId,
                status.Reachable,
                status.Reachable ? null : status.Error,
                string.IsNullOrEmpty(status.EngineVersion) ? null : status.EngineVersion,
                string.IsNullOrEmpty(status.EngineApiVersion) ? null : status.EngineApiVersion,
                at),
            cancellationToken);

    public ValueTask ApplySnapshotAsync(string hostId, InventorySnapshot snapshot, DateTimeOffset at, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(
            new SnapshotWrite(hostId, [.. snapshot.Containers.Select(c => InventoryMapper.ToRow(hostId, c, at))], at),
            cancellationToken);

    public ValueTask ApplyDeltaAsync(string hostId, InventoryDelta delta, DateTimeOffset at, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(
            new DeltaWrite(hostId, [.. delta.Upserted.Select(c => InventoryMapper.ToRow(hostId, c, at))], [.. delta.RemovedIds], at),
            cancellationToken);
}
