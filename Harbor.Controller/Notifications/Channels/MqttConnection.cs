using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>Connecting to an MQTT broker from a channel's settings, and what a failure means (shared by event delivery and Home Assistant discovery).</summary>
internal static class MqttConnection
{
    public const string Tls = "tls";
    public const string None = "none";

    public static (string Host, int Port) Endpoint(ChannelSettings settings) =>
        (settings.Required("host"), settings.Integer("port") ?? (settings.Get("security") == Tls ? 8883 : 1883));

    public static string TopicPrefix(ChannelSettings settings) => (settings.Get("topicPrefix") ?? "harbor").TrimEnd('/');

    /// <summary>Where the controller says "online"/"offline" (retained; "offline" is also its last will).</summary>
    public static string AvailabilityTopic(ChannelSettings settings) => TopicPrefix(settings) + "/status";

    public static MqttClientOptions Options(ChannelSettings settings, string clientId, TimeSpan timeout, ServerTrust trust, bool withWill)
    {
        var (host, port) = Endpoint(settings);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart()
            .WithTimeout(timeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        if (settings.Get("username") is { } username)
        {
            builder.WithCredentials(username, settings.Get("password") ?? "");
        }

        if (settings.Get("security") == Tls)
        {
            builder.WithTlsOptions(tls => tls.UseTls().WithTargetHost(host).WithCertificateValidationHandler(args => trust.Validate(args.Certificate, args.SslPolicyErrors)));
        }

        if (withWill)
        {
            builder.WithWillTopic(AvailabilityTopic(settings)).WithWillPayload("offline").WithWillRetain().WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return builder.Build();
    }

    /// <summary>Connects; null when connected, otherwise what the failure means (a refused login is permanent, a broker that is down transient).</summary>
    public static async Task<DeliveryResult?> ConnectAsync(IMqttClient client, MqttClientOptions options, ChannelSettings settings, ServerTrust trust, CancellationToken deadline, CancellationToken stopping)
    {
        var (host, port) = Endpoint(settings);
        try
        {
            var result = await client.ConnectAsync(options, deadline);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                return null;
            }

            var permanent = result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.Banned
                or MqttClientConnectResultCode.ClientIdentifierNotValid or MqttClientConnectResultCode.BadAuthenticationMethod or MqttClientConnectResultCode.UnsupportedProtocolVersion;
            return new DeliveryResult(false, null, !permanent, null, $"The MQTT broker at {host}:{port} refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd());
        }
        catch (Exception e) when (IsConnectionFailure(e) && !stopping.IsCancellationRequested)
        {
            return Failure(e, settings, trust);
        }
    }

    /// <summary>A failed connect or publish as a delivery result: an untrusted certificate is permanent, the rest transient.</summary>
    public static DeliveryResult Failure(Exception e, ChannelSettings settings, ServerTrust trust)
    {
        var (host, port) = Endpoint(settings);
        return trust.RefusedFingerprint is not null || e is AuthenticationException || e.InnerException is AuthenticationException || e.InnerException?.InnerException is AuthenticationException
            ? new(false, null, false, null, trust.Explain())
            : new(false, null, true, null, $"Connection to the MQTT broker at {host}:{port} failed: {e.Message}");
    }

    public static bool IsConnectionFailure(Exception e) =>
        e is MqttCommunicationException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException;
}
