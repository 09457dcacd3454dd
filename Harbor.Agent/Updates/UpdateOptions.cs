using System.ComponentModel.DataAnnotations;

namespace Harbor.Agent.Updates;

// Range(typeof(TimeSpan)) and MaxLength read their operands by reflection when the attribute itself validates. Here only the
// generated validator (XxxOptionsValidator, [OptionsValidator]) reads them, and it emits reflection-free copies of both.
#pragma warning disable IL2026

/// <summary>Section <c>Harbor:Agent:Updates</c>: how the agent carries out and verifies update jobs.</summary>
internal sealed class UpdateOptions
{
    public const string SectionName = "Harbor:Agent:Updates";

    /// <summary>
    /// Without a healthcheck, how long a new container must keep running without a restart to count as
    /// working. A job may ask for another window.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StabilityWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With a healthcheck, the longest the agent waits for "healthy". The wait is derived from the
    /// healthcheck (start period + (interval + timeout) × (retries + 1)) and capped here.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HealthTimeoutCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the optional HTTP probe (label harbor.verify.http) may take to get a 2xx/3xx answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan HttpProbeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Previous images kept per container after a successful update, for a manual rollback. Older ones
    /// Harbor replaced are removed when no container uses them. 0 removes the replaced image right away.
    /// </summary>
    [Range(0, 100)]
    public int KeepPreviousImages { get; set; } = 1;

    /// <summary>Jobs that run at the same time on this host (pulls included).</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>Finished, acknowledged jobs kept in the journal so a replayed command gets its recorded result.</summary>
    [Range(10, 100_000)]
    public int JournalRetention { get; set; } = 1000;

    /// <summary>How long undo steps keep retrying while the Docker engine does not answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EngineRetryWindow { get; set; } = TimeSpan.FromMinutes(2);
}
