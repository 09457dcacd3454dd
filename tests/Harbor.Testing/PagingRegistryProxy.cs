using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Harbor.Testing;

/// <summary>
/// A pass-through in front of a real registry that pages <c>GET /v2/&lt;name&gt;/tags/list</c> the way
/// CNCF distribution 3 and the big registries do (<c>n</c>, <c>last</c>, <c>Link: &lt;…&gt;; rel="next"</c>).
/// Debian's distribution 2.8 ignores <c>n</c> and returns every tag at once; the tags themselves (and
/// every other request, auth challenges included) still come from the real registry.
/// </summary>
public sealed class PagingRegistryProxy : IAsyncDisposable
{
    private readonly StubHttpServer server;
    private readonly HttpClient upstream;
    private int tagPages;

    private PagingRegistryProxy(StubHttpServer server, HttpClient upstream)
    {
        this.server = server;
        this.upstream = upstream;
    }

    /// <summary>host:port to use as the registry part of image references.</summary>
    public string Host => server.Host;

    /// <summary>How many tag-list pages were served.</summary>
    public int TagPages => Volatile.Read(ref tagPages);

    public static async Task<PagingRegistryProxy> StartAsync(RegistryServer registry)
    {
        var upstream = new HttpClient { BaseAddress = registry.BaseAddress };
        PagingRegistryProxy? proxy = null;
        var server = await StubHttpServer.StartAsync(context => proxy!.HandleAsync(context));
        proxy = new PagingRegistryProxy(server, upstream);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var isTagList = HttpMethods.IsGet(context.Request.Method) && path.EndsWith("/tags/list", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), isTagList ? path : path + context.Request.QueryString);
        foreach (var header in new[] { "Authorization", "Accept" })
        {
            if (context.Request.Headers.TryGetValue(header, out var values))
            {
                request.Headers.TryAddWithoutValidation(header, (IEnumerable<string?>)values);
            }
        }

        using var response = await upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Content-Length" or "Transfer-Encoding"))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (isTagList && response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref tagPages);
            body = Page(context, path, body);
        }

        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static byte[] Page(HttpContext context, string path, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var name = document.RootElement.GetProperty("name").GetString();
        var all = document.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToList();
        var last = context.Request.Query["last"].ToString();
        var page = all.Where(t => last.Length == 0 || string.CompareOrdinal(t, last) > 0).ToList();
        if (int.TryParse(context.Request.Query["n"], out var n) && n > 0 && page.Count > n)
        {
            page = page[..n];
            context.Response.Headers["Link"] = $"<{path}?last={Uri.EscapeDataString(page[^1])}&n={n}>; rel=\"next\"";
        }

        return JsonSerializer.SerializeToUtf8Bytes(new { name, tags = page });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        upstream.Dispose();
    }
}
