using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Audit;

/// <summary><c>GET /api/v1/audit</c>: who changed what, when and from where (admins only).</summary>
internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit").WithTags("Audit");
        group.MapGet("/", ListAuditEvents).WithName("ListAuditEvents").RequirePermission(Permission.Admin)
            .WithSummary("Audit events, newest first, filtered by actor, action, target and time.");
        group.MapGet("/export", ExportAuditEvents).WithName("ExportAuditEvents").RequirePermission(Permission.Admin)
            .WithSummary("Every audit event the filters select (no paging, newest first, at most 100000) as a CSV or JSON download.");
        return group;
    }

    private static async Task<Results<Ok<PagedResponse<AuditEventResponse>>, ValidationProblem>> ListAuditEvents(
        [AsParameters] AuditQuery query, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The audit query is not valid.")
            : TypedResults.Ok(await audit.QueryAsync(query, cancellationToken));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAuditEvents(
        [AsParameters] AuditQuery query, string? format, AuditLog audit, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        format = string.IsNullOrEmpty(format) ? AuditExport.Csv : format.ToLowerInvariant();
        var errors = query.Validate();
        if (!AuditExport.IsFormat(format))
        {
            errors["format"] = ["format must be csv or json."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The audit export is not valid.");
        }

        var events = await audit.ExportAsync(query, cancellationToken);
        // A cut export says so: the caller narrows the time range to get the rest.
        response.Headers["X-Harbor-Truncated"] = events.Count >= AuditLog.MaxExportRows ? "true" : "false";
        var body = format == AuditExport.Csv ? AuditExport.ToCsv(events) : AuditExport.ToJson(events);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(body),
            format == AuditExport.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
            AuditExport.FileName(format, clock.GetUtcNow()));
    }
}
