using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harbor.Agent.Docker;

/// <summary>
/// The Engine API as JSON, for the update path. A recreate must copy what the engine reported
/// verbatim: the typed client models the newest API and drops fields that older engines report
/// (<c>Config.MacAddress</c> below 1.44, <c>KernelMemory</c>…) and fields that newer engines add, and each
/// dropped field is a setting silently lost. So the update steps read and write the engine's own JSON.
/// </summary>
internal sealed class EngineApi : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly TimeSpan requestTimeout;

    public EngineApi(Uri endpoint, Version apiVersion, TimeSpan requestTimeout)
    {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        ApiVersion = apiVersion;
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        Uri baseAddress;
        if (endpoint.Scheme == "unix")
        {
            var socketPath = endpoint.LocalPath;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }
        else
        {
            baseAddress = new UriBuilder(endpoint) { Scheme = "http", Path = "/" }.Uri;
        }

        http = new HttpClient(handler)
        {
            BaseAddress = new Uri(baseAddress, $"v{apiVersion.ToString(2)}/"),
            // Each call sets its own deadline: a pull or a stop with a long grace period must not hit a global one.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The negotiated Engine API version every request uses.</summary>
    public Version ApiVersion { get; }

    /// <summary>GET returning an object; null when the engine answers 404.</summary>
    public async Task<JsonObject?> GetObjectAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var (status, body) = await SendAsync(request, requestTimeout, allowNotFound: true, cancellationToken);
        return status == HttpStatusCode.NotFound ? null : ParseObject(body, path);
    }

    /// <summary>POST with an optional JSON body. Answers 304 (already started/stopped) count as success.</summary>
    public async Task<JsonObject?> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = JsonType;
        }

        var (_, text) = await SendAsync(request, timeout ?? requestTimeout, allowNotFound: false, cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? null : ParseObject(text, path);
    }

    /// <summary>DELETE; false when the engine answers 404 (already gone).</summary>
    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        var (status, _) = await SendAsync(request, requestTimeout, allowNotFound: true, cancellationToken);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>
    /// POST /images/create, reading the engine's progress messages as they come. An error message
    /// in the stream (the engine answers 200 and reports failures inline) becomes an <see cref="EngineRequestException"/>.
    /// </summary>
    public async Task PullAsync(string fromImage, string? registryAuthHeader, Action<JsonObject> onMessage, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "images/create?fromImage=" + Uri.EscapeDataString(fromImage));
        if (registryAuthHeader is not null)
        {
            request.Headers.Add("X-Registry-Auth", registryAuthHeader);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            throw Unavailable(e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorAsync(response, "images/create", cancellationToken);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var message = ParseObject(line, "images/create");
                var error = message["errorDetail"]?["message"]?.GetValue<string>() ?? message["error"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(error))
                {
                    throw new EngineRequestException(HttpStatusCode.OK, error.Trim());
                }

                onMessage(message);
            }
        }
    }

    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));

    public static string Seconds(TimeSpan value) => ((int)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public void Dispose() => http.Dispose();

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, TimeSpan timeout, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified
                || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
            {
                return (response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token));
            }

            throw await ErrorAsync(response, request.RequestUri?.ToString() ?? "", deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException(
                $"The Docker engine at {endpoint} did not answer {request.Method} {request.RequestUri} within {timeout.TotalSeconds:0} s.", e);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    private static async Task<EngineRequestException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            message = JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text;
        }
        catch (JsonException)
        {
            message = text;
        }

        message = string.IsNullOrWhiteSpace(message) ? $"{(int)response.StatusCode} {response.ReasonPhrase} for {what}" : message.Trim();
        return new EngineRequestException(response.StatusCode, message);
    }

    private static JsonObject ParseObject(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new EngineRequestException(HttpStatusCode.OK, $"The Docker engine answered {what} with JSON that is not an object.");
        }
        catch (JsonException e)
        {
            throw new EngineRequestException(HttpStatusCode.OK, $"The Docker engine answered {what} with unreadable JSON: {e.Message}");
        }
    }

    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is HttpRequestException or SocketException or IOException;

    private EngineUnavailableException Unavailable(Exception e) => new(
        $"Cannot reach the Docker engine at {endpoint}: {e.GetBaseException().Message}.", e);
}
