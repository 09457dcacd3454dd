using System.Globalization;
using System.Text.RegularExpressions;

namespace Harbor.Controller.Policy;

/// <summary>Parsers for the values users write in labels and rules, each with an error a user can act on.</summary>
internal static partial class PolicyValues
{
    public static bool TryParseBool(string text, out bool value, out string? error)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "1" or "on":
                value = true;
                error = null;
                return true;
            case "false" or "no" or "0" or "off":
                value = false;
                error = null;
                return true;
            default:
                value = false;
                error = $"'{text}' is not true or false.";
                return false;
        }
    }

    public static bool TryParseMode(string text, out UpdateMode mode, out string? error)
    {
        error = null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "auto" or "automatic" or "update":
                mode = UpdateMode.Auto;
                return true;
            case "notify" or "monitor" or "monitor-only":
                mode = UpdateMode.Notify;
                return true;
            case "approve" or "approval":
                mode = UpdateMode.Approve;
                return true;
            case "ignore" or "off" or "none":
                mode = UpdateMode.Ignore;
                return true;
            default:
                mode = UpdateMode.Notify;
                error = $"'{text}' is not a policy; use auto, notify, approve or ignore.";
                return false;
        }
    }

    /// <summary>
    /// Durations as people write them: "90s", "15m", "2h", "1d", "1h30m", a plain number of seconds,
    /// or a .NET TimeSpan ("00:10:00").
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string? error)
    {
        var trimmed = text.Trim();
        error = null;
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero)
        {
            return true;
        }

        var match = DurationPattern().Match(trimmed);
        if (match.Success && match.Length > 0)
        {
            value = TimeSpan.Zero;
            foreach (Capture capture in match.Groups["part"].Captures)
            {
                var unit = capture.Value[^1..].ToLowerInvariant();
                var number = double.Parse(capture.Value[..^1], CultureInfo.InvariantCulture);
                value += unit switch
                {
                    "d" => TimeSpan.FromDays(number),
                    "h" => TimeSpan.FromHours(number),
                    "m" => TimeSpan.FromMinutes(number),
                    _ => TimeSpan.FromSeconds(number),
                };
            }

            return true;
        }

        value = TimeSpan.Zero;
        error = $"'{text}' is not a duration; write e.g. 30s, 15m, 2h, 1d or 1h30m.";
        return false;
    }

    /// <summary>Comma- or space-separated names, without empties or duplicates.</summary>
    public static IReadOnlyList<string> ParseList(string text) =>
        [.. text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.TrimStart('/'))
            .Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[dhms])+$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
