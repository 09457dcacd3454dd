using System.Globalization;
using Harbor.Controller.Security.Audit;

namespace Harbor.Controller.Web;

/// <summary>
/// The Audit page's filters: actor (id or name), exact action, part of the target, and a UTC time
/// range [Since, Until). The page lists with it and the export link carries the same filter to
/// <c>GET /api/v1/audit/export</c>, so the download holds exactly the rows the page filters.
/// </summary>
public sealed record AuditFilter
{
    public string? Actor { get; init; }

    public string? Action { get; init; }

    public string? Target { get; init; }

    /// <summary>From this moment (UTC, inclusive).</summary>
    public DateTime? Since { get; init; }

    /// <summary>Before this moment (UTC, exclusive).</summary>
    public DateTime? Until { get; init; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Actor) && string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(Target) && Since is null && Until is null;

    /// <summary>What is wrong with the filter, or null (the API's own validation).</summary>
    public string? Problem => ToQuery(1, 1).Validate() is { Count: > 0 } errors ? string.Join(" ", errors.Values.SelectMany(m => m)) : null;

    internal AuditQuery ToQuery(int page, int pageSize) => new()
    {
        Actor = Trimmed(Actor),
        Action = Trimmed(Action),
        Target = Trimmed(Target),
        Since = Utc(Since),
        Until = Utc(Until),
        Page = page,
        PageSize = pageSize,
    };

    /// <summary>The export endpoint with this filter, e.g. <c>/api/v1/audit/export?format=csv&amp;actor=ada</c>.</summary>
    public string ExportUrl(string format)
    {
        var parts = new List<string> { "format=" + Uri.EscapeDataString(format) };
        Add(parts, "actor", Trimmed(Actor));
        Add(parts, "action", Trimmed(Action));
        Add(parts, "target", Trimmed(Target));
        Add(parts, "since", Utc(Since)?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Add(parts, "until", Utc(Until)?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        return "/api/v1/audit/export?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The form's date-time inputs carry no zone; the page labels them UTC.
    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
