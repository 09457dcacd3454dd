using Grpc.AspNetCore.Server;

namespace Harbor.Controller.Security.Audit;

/// <summary>
/// Records every change made over HTTP (any method but GET/HEAD/OPTIONS that reached an endpoint),
/// with the caller, the address, the route values as target and the status code as outcome. Endpoints
/// added later are audited without doing anything. gRPC is left to the agent hub, which audits its
/// own changes (enrollment) and would otherwise log a row per inventory stream.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditLog audit, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is not null && endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is null)
            {
                await RecordAsync(context, endpoint);
            }
        }
    }

    private async Task RecordAsync(HttpContext context, Endpoint endpoint)
    {
        var (kind, id, name) = AuditLog.ActorOf(context);
        var action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            ?? $"{context.Request.Method} {(endpoint as RouteEndpoint)?.RoutePattern.RawText}";
        var target = context.Items[AuditLog.TargetItem] is string named
            ? named
            : context.Request.RouteValues.Count == 0
            ? null
            : string.Join(' ', context.Request.RouteValues.Select(v => $"{v.Key}={v.Value}"));
        var status = context.Response.StatusCode;
        try
        {
            await audit.RecordAsync(new AuditEntry(
                kind, id, name, action, target, status < 400, status, context.Connection.RemoteIpAddress?.ToString(), context.Items[AuditLog.DetailItem] as string),
                CancellationToken.None);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            Log.AuditWriteFailed(logger, e, action);
        }
    }
}
