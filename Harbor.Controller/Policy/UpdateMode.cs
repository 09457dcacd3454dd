namespace Harbor.Controller.Policy;

/// <summary>What Harbor does when a container has an update available.</summary>
internal enum UpdateMode
{
    /// <summary>Report it and notify; never touch the container (the safe default).</summary>
    Notify,

    /// <summary>Update automatically, within the schedule and maintenance window.</summary>
    Auto,

    /// <summary>Create a pending approval; a user approving it runs the update.</summary>
    Approve,

    /// <summary>Neither check nor update.</summary>
    Ignore,
}
