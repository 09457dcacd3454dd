using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harbor.Controller.Security.Audit;

/// <summary>
/// Writes audit events as CSV (RFC 4180) or JSON for <c>GET /api/v1/audit/export</c>. CSV cells that a
/// spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are prefixed
/// with an apostrophe: audit rows hold user-chosen text such as user and key names.
/// </summary>
internal static class AuditExport
{
    public const string Csv = "csv";
    public const string Json = "json";

    public static readonly IReadOnlyList<string> Columns =
        ["id", "at", "actor_kind", "actor_id", "actor_name", "action", "target", "outcome", "status_code", "remote_ip", "detail"];

    public static bool IsFormat(string? format) => format is Csv or Json;

    public static string FileName(string format, DateTimeOffset now) =>
        $"harbor-audit-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.{format}";

    public static string ToCsv(IEnumerable<AuditEventResponse> events)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var e in events)
        {
            string?[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture),
                e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                e.ActorKind, e.ActorId, e.ActorName, e.Action, e.Target, e.Outcome,
                e.StatusCode?.ToString(CultureInfo.InvariantCulture), e.RemoteIp, e.Detail,
            ];
            csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }

        return csv.ToString();
    }

    public static string ToJson(IEnumerable<AuditEventResponse> events) => JsonSerializer.Serialize(events, JsonOptions);

    /// <summary>One CSV field: quoted when it holds a comma, quote or line break (quotes doubled), formula-safe.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
