using System.Collections.Concurrent;
using System.IO.Compression;
using Harbor.EndToEnd.Tests.Observability.Otlp;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;

namespace Harbor.EndToEnd.Tests.Observability;

/// <summary>
/// A real OTLP/HTTP (protobuf) receiver, standing in for the Aspire dashboard: services point
/// OTEL_EXPORTER_OTLP_ENDPOINT at it and it keeps every span exported to /v1/traces (metrics and logs
/// are accepted and dropped).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private StubHttpServer server = null!;

    public Uri Endpoint => server.BaseAddress;

    public IReadOnlyList<ReceivedSpan> Spans => [.. spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver.server = await StubHttpServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    /// <summary>Settings (configuration keys or environment variables) that make a service export here quickly.</summary>
    public Dictionary<string, string> ExporterSettings(string serviceName) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = serviceName,
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post)
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        using var body = new MemoryStream();
        var input = context.Request.Headers.ContentEncoding == "gzip"
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await input.CopyToAsync(body);
        if (context.Request.Path == "/v1/traces")
        {
            var request = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
            foreach (var resource in request.ResourceSpans)
            {
                var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
                foreach (var scope in resource.ScopeSpans)
                {
                    foreach (var span in scope.Spans)
                    {
                        spans.Enqueue(new ReceivedSpan(service, scope.Scope?.Name ?? "", span));
                    }
                }
            }
        }

        // An empty Export*ServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>One exported span with the service and instrumentation scope (activity source) it came from.</summary>
public sealed record ReceivedSpan(string Service, string Scope, Span Span)
{
    public string TraceId => Convert.ToHexStringLower(Span.TraceId.Span);

    public string SpanId => Convert.ToHexStringLower(Span.SpanId.Span);

    public string ParentSpanId => Convert.ToHexStringLower(Span.ParentSpanId.Span);

    public string Name => Span.Name;

    public bool IsError => Span.Status?.Code == 2;

    public string? Attribute(string key) => Span.Attributes.FirstOrDefault(a => a.Key == key)?.Value?.StringValue;

    public override string ToString() => $"{Service}/{Scope}: {Name} {TraceId}/{SpanId} <- {ParentSpanId}";
}
