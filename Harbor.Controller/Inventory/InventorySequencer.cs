namespace Harbor.Controller.Inventory;

internal enum SequenceAction
{
    Apply,
    Ignore,
    RequestResync,
}

internal readonly record struct SequenceDecision(SequenceAction Action, string? Reason = null);

/// <summary>
/// Enforces the inventory ordering of one stream: a snapshot replaces everything; a delta applies
/// only if it directly follows the previous inventory message. On a gap the controller asks once
/// for a resync and ignores deltas until the new snapshot arrives, so it never applies a delta to
/// the wrong base.
/// </summary>
internal sealed class InventorySequencer
{
    private ulong last;
    private bool haveSnapshot;
    private bool awaitingResync;

    public SequenceDecision OnSnapshot(ulong sequence)
    {
        if (haveSnapshot && sequence <= last)
        {
            return new SequenceDecision(SequenceAction.Ignore, $"stale snapshot {sequence} after {last}");
        }

        last = sequence;
        haveSnapshot = true;
        awaitingResync = false;
        return new SequenceDecision(SequenceAction.Apply);
    }

    public SequenceDecision OnDelta(ulong sequence)
    {
        if (awaitingResync)
        {
            return new SequenceDecision(SequenceAction.Ignore, "waiting for the requested snapshot");
        }

        if (!haveSnapshot)
        {
            awaitingResync = true;
            return new SequenceDecision(SequenceAction.RequestResync, $"delta {sequence} arrived before any snapshot");
        }

        if (sequence <= last)
        {
            return new SequenceDecision(SequenceAction.Ignore, $"duplicate delta {sequence}");
        }

        if (sequence != last + 1)
        {
            awaitingResync = true;
            return new SequenceDecision(SequenceAction.RequestResync, $"expected inventory sequence {last + 1} but got {sequence}");
        }

        last = sequence;
        return new SequenceDecision(SequenceAction.Apply);
    }
}
