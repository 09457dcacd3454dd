using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Harbor.Testing;

/// <summary>
/// A real HTTP receiver (webhook endpoint, chat service stand-in) that records every request and
/// answers what the test says: 200 by default, or e.g. 429 with Retry-After, or 503.
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private StubHttpServer server = null!;

    private RecordingReceiver()
    {
    }

    /// <summary>Decides the answer to each request: status code and extra response headers.</summary>
    public Func<RecordedRequest, (int Status, IReadOnlyDictionary<string, string>? Headers)> Respond { get; set; } = _ => (200, null);

    /// <summary>How long to hold each request before answering (a slow or hanging receiver); the client hanging up ends the wait.</summary>
    public TimeSpan AnswerDelay { get; set; }

    public Uri BaseAddress => server.BaseAddress;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<RecordingReceiver> StartAsync()
    {
        var receiver = new RecordingReceiver();
        receiver.server = await StubHttpServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    /// <summary>The base address plus a path, e.g. Url("/hooks/abc").</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public Task<IReadOnlyList<RecordedRequest>> WaitForAsync(int count, TimeSpan? within = null) =>
        Eventually.GetAsync(() => Task.FromResult(Requests), r => r.Count >= count, within ?? TimeSpan.FromSeconds(10), $"{count} request(s) received");

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body);
        requests.Enqueue(request);
        if (AnswerDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(AnswerDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var (status, responseHeaders) = Respond(request);
        context.Response.StatusCode = status;
        foreach (var (name, value) in responseHeaders ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(status < 300 ? "ok" : "error " + status);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
