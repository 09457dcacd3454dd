using Harbor.Controller.Inventory;

namespace Harbor.Controller.Tests.Inventory;

public sealed class InventorySequencerTests
{
    [Fact]
    public void SnapshotThenConsecutiveDeltas_AreApplied()
    {
        var sequencer = new InventorySequencer();

        Assert.Equal(SequenceAction.Apply, sequencer.OnSnapshot(1).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnDelta(2).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnDelta(3).Action);
    }

    [Fact]
    public void Gap_RequestsResyncOnce_ThenIgnoresDeltasUntilTheNewSnapshot()
    {
        var sequencer = new InventorySequencer();
        sequencer.OnSnapshot(1);
        sequencer.OnDelta(2);

        var gap = sequencer.OnDelta(4);
        Assert.Equal(SequenceAction.RequestResync, gap.Action);
        Assert.Contains("expected inventory sequence 3 but got 4", gap.Reason);

        // Deltas still in flight are on the wrong base and must not be applied, nor re-trigger resyncs.
        Assert.Equal(SequenceAction.Ignore, sequencer.OnDelta(5).Action);
        Assert.Equal(SequenceAction.Ignore, sequencer.OnDelta(6).Action);

        Assert.Equal(SequenceAction.Apply, sequencer.OnSnapshot(7).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnDelta(8).Action);
    }

    [Fact]
    public void DeltaBeforeAnySnapshot_RequestsResync()
    {
        var sequencer = new InventorySequencer();

        Assert.Equal(SequenceAction.RequestResync, sequencer.OnDelta(1).Action);
        Assert.Equal(SequenceAction.Ignore, sequencer.OnDelta(2).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnSnapshot(3).Action);
    }

    [Fact]
    public void DuplicateDelta_IsIgnoredWithoutResync()
    {
        var sequencer = new InventorySequencer();
        sequencer.OnSnapshot(1);
        sequencer.OnDelta(2);

        Assert.Equal(SequenceAction.Ignore, sequencer.OnDelta(2).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnDelta(3).Action);
    }

    [Fact]
    public void StaleSnapshot_IsIgnored()
    {
        var sequencer = new InventorySequencer();
        sequencer.OnSnapshot(5);

        Assert.Equal(SequenceAction.Ignore, sequencer.OnSnapshot(4).Action);
        Assert.Equal(SequenceAction.Apply, sequencer.OnDelta(6).Action);
    }
}
