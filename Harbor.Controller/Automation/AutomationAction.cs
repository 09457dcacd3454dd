namespace Harbor.Controller.Automation;

/// <summary>What the engine does about one container with an update available.</summary>
internal enum AutomationAction
{
    /// <summary>Policy ignore (or not enabled): nothing.</summary>
    None,

    /// <summary>Policy notify: publish update.available once per digest, leave the container alone.</summary>
    Notify,

    /// <summary>Policy approve: create a pending approval (once per digest).</summary>
    Approve,

    /// <summary>Policy auto and everything allows it: start an update job now.</summary>
    Update,

    /// <summary>Policy auto, but not yet (window, schedule, minimum age, host busy, a dependency first).</summary>
    Wait,

    /// <summary>The digest failed on this container before and is blocked until a user clears it.</summary>
    Blocked,

    /// <summary>Harbor cannot act (dependency cycle, job refused); the reason says why.</summary>
    Error,
}
