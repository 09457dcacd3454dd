namespace Harbor.Controller.Checks;

/// <summary>
/// When the scheduler checks next, as it last planned it: written by <see cref="CheckScheduler"/>, read
/// by the dashboard and <c>GET /api/v1/checks/schedule</c>. Null means nothing is planned (the schedule
/// is off, or no container has its own check schedule).
/// </summary>
internal sealed class ScheduledCheckPlan
{
    private readonly Lock gate = new();
    private DateTimeOffset? everythingAt;
    private DateTimeOffset? ownScheduleAt;

    /// <summary>The next scheduled check of everything (containers without their own schedule).</summary>
    public DateTimeOffset? EverythingAt
    {
        get { lock (gate) { return everythingAt; } }
        set { lock (gate) { everythingAt = value; } }
    }

    /// <summary>The earliest next check of a container on its own schedule (<c>harbor.check-schedule</c>).</summary>
    public DateTimeOffset? OwnScheduleAt
    {
        get { lock (gate) { return ownScheduleAt; } }
        set { lock (gate) { ownScheduleAt = value; } }
    }

    /// <summary>The plan as the API and the dashboard show it.</summary>
    public CheckScheduleResponse Describe(CheckOptions options) =>
        new(options.ScheduleEnabled, (long)options.Interval.TotalSeconds, EverythingAt, OwnScheduleAt, NextAt);

    /// <summary>The sooner of the two.</summary>
    public DateTimeOffset? NextAt
    {
        get
        {
            lock (gate)
            {
                return (everythingAt, ownScheduleAt) switch
                {
                    ({ } a, { } b) => a < b ? a : b,
                    (var a, var b) => a ?? b,
                };
            }
        }
    }
}
