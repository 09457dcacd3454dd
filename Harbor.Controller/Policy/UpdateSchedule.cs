using Cronos;

namespace Harbor.Controller.Policy;

/// <summary>
/// When checks (and automatic updates) run: a cron expression in a time zone, or a fixed interval.
/// Written as "0 3 * * *", "TZ=Europe/Berlin 0 3 * * 1-5", "@daily", "*/30 * * * * *" (6 fields:
/// with seconds) or an interval such as "6h".
/// </summary>
internal sealed class UpdateSchedule
{
    private readonly CronExpression? cron;

    private UpdateSchedule(string text, CronExpression? cron, TimeZoneInfo timeZone, TimeSpan? interval)
    {
        Text = text;
        this.cron = cron;
        TimeZone = timeZone;
        Interval = interval;
    }

    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    public TimeSpan? Interval { get; }

    /// <summary>The first run strictly after <paramref name="after"/> (for an interval: after + interval).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        cron is null ? after + Interval!.Value : cron.GetNextOccurrence(after, TimeZone, inclusive: false);

    public static bool TryParse(string text, out UpdateSchedule? schedule, out string? error)
    {
        schedule = null;
        var (zoneText, expression) = SplitTimeZone(text.Trim());
        if (!TryFindTimeZone(zoneText, out var zone, out error))
        {
            return false;
        }

        if (PolicyValues.TryParseDuration(expression, out var interval, out _) && !expression.Contains(' ', StringComparison.Ordinal))
        {
            if (interval < TimeSpan.FromMinutes(1))
            {
                error = $"'{text}': an interval must be at least 1m.";
                return false;
            }

            schedule = new UpdateSchedule(text.Trim(), null, zone, interval);
            return true;
        }

        if (!TryParseCron(expression, out var cron, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        schedule = new UpdateSchedule(text.Trim(), cron, zone, null);
        return true;
    }

    internal static (string? Zone, string Expression) SplitTimeZone(string text)
    {
        foreach (var prefix in new[] { "TZ=", "CRON_TZ=" })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                return space < 0 ? (text[prefix.Length..], "") : (text[prefix.Length..space], text[(space + 1)..].Trim());
            }
        }

        return (null, text);
    }

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone, out string? error)
    {
        error = null;
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrEmpty(id))
        {
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"'{id}' is not a known time zone; use an IANA name such as Europe/Berlin.";
            return false;
        }
    }

    internal static bool TryParseCron(string expression, out CronExpression? cron, out string? error)
    {
        cron = null;
        error = null;
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (!expression.StartsWith('@') && fields is not (5 or 6))
        {
            error = "a cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first.";
            return false;
        }

        try
        {
            cron = CronExpression.Parse(expression, format);
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return false;
        }
    }
}
