namespace Harbor.Testing;

/// <summary>A minimal Server-Sent Events client for tests: one event at a time, skipping the stream.open greeting.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public sealed record Item(string? Id, string Event, string Data);

    public static async Task<SseReader> OpenAsync(HttpClient client, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var reader = new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
        var greeting = await reader.NextRawAsync(cancellationToken);
        return greeting.Event == "stream.open" ? reader : throw new InvalidOperationException($"Expected stream.open, got {greeting.Event}.");
    }

    public async Task<Item> NextAsync(CancellationToken cancellationToken) => await NextRawAsync(cancellationToken);

    private async Task<Item> NextRawAsync(CancellationToken cancellationToken)
    {
        string? id = null;
        var type = "message";
        var data = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new Item(id, type, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line[6..]);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
