using System.Security.Claims;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Authorization;

namespace Harbor.Controller.Security.Audit;

/// <summary>The audit trail: written for every change, read at <c>GET /api/v1/audit</c>.</summary>
internal sealed class AuditLog(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    /// <summary>HttpContext.Items key: an endpoint names the actor when the request itself was anonymous (sign-in, setup).</summary>
    public const string ActorItem = "harbor.audit.actor";

    /// <summary>HttpContext.Items key: an endpoint adds a short, secret-free detail to its audit row.</summary>
    public const string DetailItem = "harbor.audit.detail";

    /// <summary>HttpContext.Items key: an endpoint names its target when the route does not (the body names it, or the row is created).</summary>
    public const string TargetItem = "harbor.audit.target";

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_events (at, actor_kind, actor_id, actor_name, action, target, outcome, status_code, remote_ip, detail)
            VALUES (@At, @ActorKind, @ActorId, @ActorName, @Action, @Target, @Outcome, @StatusCode, @RemoteIp, @Detail)
            """,
            new
            {
                At = DbTime.ToText(timeProvider.GetUtcNow()),
                entry.ActorKind,
                entry.ActorId,
                entry.ActorName,
                entry.Action,
                entry.Target,
                Outcome = entry.Succeeded ? "success" : "failure",
                entry.StatusCode,
                entry.RemoteIp,
                entry.Detail,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The most rows one export holds; a larger set is cut (newest first) and the export says so in a header.</summary>
    public const int MaxExportRows = 100_000;

    private const string Where =
        """
        WHERE (@Actor IS NULL OR actor_id = @Actor OR actor_name = @Actor)
          AND (@Action IS NULL OR action = @Action)
          AND (@Target IS NULL OR instr(target, @Target) > 0)
          AND (@Since IS NULL OR at >= @Since)
          AND (@Until IS NULL OR at < @Until)
        """;

    public async Task<PagedResponse<AuditEventResponse>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? AuditQuery.DefaultPageSize;
        var parameters = Parameters(query, pageSize, (long)(page - 1) * pageSize);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM audit_events {Where}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT * FROM audit_events {Where} ORDER BY id DESC LIMIT @Limit OFFSET @Offset", parameters, cancellationToken: cancellationToken));
        return new PagedResponse<AuditEventResponse>([.. rows.Select(ToResponse)], page, pageSize, total);
    }

    /// <summary>Every event the filter selects (paging ignored), newest first, at most <see cref="MaxExportRows"/>.</summary>
    public async Task<IReadOnlyList<AuditEventResponse>> ExportAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT * FROM audit_events {Where} ORDER BY id DESC LIMIT @Limit OFFSET @Offset",
            Parameters(query, MaxExportRows, 0), cancellationToken: cancellationToken));
        return [.. rows.Select(ToResponse)];
    }

    /// <summary>Every action name in the trail, for the UI's filter suggestions.</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT action FROM audit_events ORDER BY action", cancellationToken: cancellationToken))];
    }

    private static object Parameters(AuditQuery query, int limit, long offset) => new
    {
        Actor = NullIfEmpty(query.Actor),
        Action = NullIfEmpty(query.Action),
        Target = NullIfEmpty(query.Target),
        Since = DbTime.ToText(query.Since),
        Until = DbTime.ToText(query.Until),
        Limit = limit,
        Offset = offset,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static AuditEventResponse ToResponse(AuditRow r) =>
        new(r.Id, DbTime.Parse(r.At), r.ActorKind, r.ActorId, r.ActorName, r.Action, r.Target, r.Outcome, (int?)r.StatusCode, r.RemoteIp, r.Detail);

    /// <summary>The actor of a request: its principal, or what the endpoint named, or anonymous.</summary>
    public static (string Kind, string? Id, string? Name) ActorOf(HttpContext context)
    {
        if (context.Items[ActorItem] is (string kind, string id, string name))
        {
            return (kind, id, name);
        }

        var user = context.User;
        return user.Identity?.IsAuthenticated == true
            ? (user.Kind() == HarborClaims.ApiKeyKind ? AuditActors.ApiKey : AuditActors.User, user.Id(), user.FindFirstValue(ClaimTypes.Name))
            : (AuditActors.Anonymous, null, null);
    }

    private sealed record AuditRow
    {
        public long Id { get; init; }
        public required string At { get; init; }
        public required string ActorKind { get; init; }
        public string? ActorId { get; init; }
        public string? ActorName { get; init; }
        public required string Action { get; init; }
        public string? Target { get; init; }
        public required string Outcome { get; init; }
        public long? StatusCode { get; init; }
        public string? RemoteIp { get; init; }
        public string? Detail { get; init; }
    }
}
