using System.Net;
using Harbor.Controller.Notifications.Channels;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Sends a channel's request and classifies the answer (protocol channels send and classify themselves). Its own HttpClient: the shared defaults add
/// a resilience handler whose retries would hide 429/5xx from the outbox, and traces of these
/// requests are suppressed because channel URLs carry tokens in their paths.
/// </summary>
internal sealed class NotificationSender : IDisposable
{
    private const int MaxErrorBody = 300;

    private readonly HttpClient client;
    private readonly TimeProvider timeProvider;

    public NotificationSender(IOptions<NotificationOptions> options, TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
        })
        {
            Timeout = options.Value.RequestTimeout,
            // Only an error's first lines are kept; a receiver cannot make the controller buffer more.
            MaxResponseContentBufferSize = 1024 * 1024,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Harbor-Controller");
    }

    public async Task<DeliveryResult> SendAsync(INotificationChannel channel, ChannelSettings settings, NotificationMessage message, CancellationToken cancellationToken)
    {
        using var suppress = OpenTelemetry.SuppressInstrumentationScope.Begin();
        HttpRequestMessage request;
        try
        {
            switch (channel)
            {
                case IProtocolNotificationChannel protocol:
                    return await protocol.SendAsync(settings, message, client.Timeout, cancellationToken);
                case IHttpNotificationChannel http:
                    request = http.CreateRequest(settings, message, timeProvider.GetUtcNow());
                    break;
                default:
                    throw new InvalidOperationException($"The channel type '{channel.Type}' has no way to send.");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // Stored settings that no longer make a request (edited by hand, older version): retrying cannot help.
            return UnusableSettings(channel, e);
        }

        try
        {
            using var disposeRequest = request;
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Success(status);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var retryable = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            return new DeliveryResult(false, status, retryable, RetryAfter(response), $"HTTP {status} {response.ReasonPhrase}: {Shorten(body)}".TrimEnd(' ', ':'));
        }
        catch (HttpRequestException e)
        {
            return new DeliveryResult(false, null, true, null, "Connection failed: " + e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(false, null, true, null, $"No answer within {client.Timeout.TotalSeconds:0} s.");
        }
    }

    private static DeliveryResult UnusableSettings(INotificationChannel channel, Exception e) =>
        new(false, null, false, null, $"The {channel.Type} channel's settings cannot make a request ({e.GetType().Name}); fix them with PUT /api/v1/notifications/channels/{{id}}.");

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - timeProvider.GetUtcNow() : null;
    }

    private static string Shorten(string body)
    {
        body = body.ReplaceLineEndings(" ").Trim();
        return body.Length <= MaxErrorBody ? body : body[..MaxErrorBody] + "…";
    }

    public void Dispose() => client.Dispose();
}
