using System.Globalization;
using Harbor.Controller.Security.Authorization;

namespace Harbor.Controller.Web;

/// <summary>How the UI writes digests, times and durations.</summary>
internal static class Display
{
    /// <summary>sha256:0123456789ab… → sha256:0123456789ab (enough to tell digests apart at a glance).</summary>
    public static string ShortDigest(string? digest) =>
        digest is null ? "—" : digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Duration(long? milliseconds) => milliseconds switch
    {
        null => "—",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000} min {milliseconds % 60_000 / 1000} s"),
    };

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        return elapsed.TotalSeconds < 60 ? "just now"
            : elapsed.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes} min ago")
            : elapsed.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours} h ago")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalDays} days ago");
    }

    /// <summary>How far ahead a planned moment is, in the words <see cref="Ago"/> uses backwards.</summary>
    public static string In(DateTimeOffset at, DateTimeOffset now)
    {
        var ahead = at - now;
        return ahead <= TimeSpan.Zero ? "now"
            : ahead.TotalSeconds < 60 ? "in under a minute"
            : ahead.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"in {(int)ahead.TotalMinutes} min")
            : ahead.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"in {(int)ahead.TotalHours} h {ahead.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"in {(int)ahead.TotalDays} days");
    }

    /// <summary>The digest of the image a container runs, from its repo digests (repo@sha256:…).</summary>
    public static string? CurrentDigest(IReadOnlyList<string> repoDigests) =>
        repoDigests.Select(d => d.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? d[(at + 1)..] : null).FirstOrDefault(d => d is not null);

    /// <summary>A caller stored as <c>kind:name</c> (<c>user:admin</c>, <c>api_key:admin</c>) → "admin", "admin (API key)".</summary>
    public static string Caller(string kindAndName) => kindAndName.Split(':', 2) switch
    {
        [HarborClaims.UserKind, var name] => name,
        [HarborClaims.ApiKeyKind, var name] => name + " (API key)",
        _ => kindAndName,
    };

    /// <summary>Time left until <paramref name="at"/>: "4d 3h", "2h 05m", "04:59", or "expired".</summary>
    public static string Countdown(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        return left <= TimeSpan.Zero ? "expired"
            : left.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalDays}d {left.Hours}h")
            : left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h {left.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Minutes:00}:{left.Seconds:00}");
    }
}
