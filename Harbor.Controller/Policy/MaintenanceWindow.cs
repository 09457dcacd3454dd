using Cronos;

namespace Harbor.Controller.Policy;

/// <summary>
/// When automatic updates may run: each cron occurrence opens the window for a duration.
/// Written "&lt;cron&gt; / &lt;duration&gt;", e.g. "0 3 * * * / 2h" or "TZ=Europe/Berlin 0 1 * * 6 / 4h".
/// </summary>
internal sealed class MaintenanceWindow
{
    private readonly CronExpression cron;

    private MaintenanceWindow(string text, CronExpression cron, TimeZoneInfo timeZone, TimeSpan duration)
    {
        Text = text;
        this.cron = cron;
        TimeZone = timeZone;
        Duration = duration;
    }

    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    public TimeSpan Duration { get; }

    /// <summary>
    /// Whether the window is open at <paramref name="now"/>, and when it closes (if open) or next
    /// opens (if closed). An opening that counts lies in (now − duration, now].
    /// </summary>
    public WindowState StateAt(DateTimeOffset now)
    {
        var candidate = cron.GetNextOccurrence(now - Duration, TimeZone, inclusive: false);
        if (candidate is null)
        {
            return new WindowState(false, null, null);
        }

        if (candidate <= now)
        {
            return new WindowState(true, candidate.Value + Duration, null);
        }

        return new WindowState(false, null, candidate);
    }

    public static bool TryParse(string text, out MaintenanceWindow? window, out string? error)
    {
        window = null;
        var slash = text.LastIndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}': write a window as '<cron> / <duration>', e.g. '0 3 * * * / 2h'.";
            return false;
        }

        var (zoneText, expression) = UpdateSchedule.SplitTimeZone(text[..slash].Trim());
        if (!UpdateSchedule.TryFindTimeZone(zoneText, out var zone, out error))
        {
            return false;
        }

        if (!PolicyValues.TryParseDuration(text[(slash + 1)..], out var duration, out error) || duration <= TimeSpan.Zero)
        {
            error = $"'{text}': {error ?? "the duration must be longer than zero."}";
            return false;
        }

        if (!UpdateSchedule.TryParseCron(expression, out var cron, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        window = new MaintenanceWindow(text.Trim(), cron!, zone, duration);
        return true;
    }
}

/// <summary>Open until <see cref="ClosesAt"/>, or closed until <see cref="OpensAt"/> (null when it never opens again).</summary>
internal sealed record WindowState(bool Open, DateTimeOffset? ClosesAt, DateTimeOffset? OpensAt);
