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
            .WithSummary("Audit events, newest first, filtered by actor, action and time.");
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
}
