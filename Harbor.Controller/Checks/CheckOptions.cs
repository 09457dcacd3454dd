using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Checks;

/// <summary>Section <c>Harbor:Controller:Checks</c>: when and how update checks run.</summary>
internal sealed class CheckOptions
{
    public const string SectionName = "Harbor:Controller:Checks";

    /// <summary>Check everything on a schedule (default on).</summary>
    public bool ScheduleEnabled { get; set; } = true;

    /// <summary>Time between scheduled checks of everything (default 6 h; at least 1 min).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Delay of the first scheduled check after start-up, so agents have reported their containers (default 2 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Check runs executing at the same time; more wait in the queue (default 2).</summary>
    [Range(1, 16)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Runs waiting to start at most; beyond that POST /api/v1/checks answers 503 (default 100).</summary>
    [Range(1, 10_000)]
    public int MaxQueuedRuns { get; set; } = 100;

    /// <summary>Finished runs kept for GET /api/v1/checks (default 1000).</summary>
    [Range(10, 1_000_000)]
    public int KeepRuns { get; set; } = 1000;
}
