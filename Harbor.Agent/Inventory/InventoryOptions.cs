using System.ComponentModel.DataAnnotations;

namespace Harbor.Agent.Inventory;

// Range(typeof(TimeSpan)) and MaxLength read their operands by reflection when the attribute itself validates. Here only the
// generated validator (XxxOptionsValidator, [OptionsValidator]) reads them, and it emits reflection-free copies of both.
#pragma warning disable IL2026

/// <summary>Section <c>Harbor:Agent:Inventory</c>.</summary>
internal sealed class InventoryOptions
{
    public const string SectionName = "Harbor:Agent:Inventory";

    /// <summary>
    /// Quiet time after a Docker event before the changed containers are inspected, so a burst
    /// (create, connect, start) becomes one delta.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Longest a change waits while events keep arriving.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan MaxDebounce { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Parallel inspect calls during a full refresh.</summary>
    [Range(1, 64)]
    public int InspectConcurrency { get; set; } = 8;

    /// <summary>Changes buffered per subscriber before it is given a fresh snapshot instead.</summary>
    [Range(16, 100_000)]
    public int SubscriberCapacity { get; set; } = 1024;
}
