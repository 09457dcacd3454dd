using System.Net.Security;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery.Http;

namespace Harbor.Agent.Connection;

/// <summary>
/// Builds gRPC channels to the controller: HTTP/2 keep-alive pings so a dead peer is noticed in
/// seconds, service discovery so <c>http://controller</c> works under the Aspire AppHost, and TLS
/// settings from the agent's credentials (client certificate, pinned CA).
/// </summary>
internal static class ControllerChannelFactory
{
    /// <summary>The agent's one long-lived channel.</summary>
    public static GrpcChannel Create(IServiceProvider services) =>
        Create(services, services.GetRequiredService<IControllerCredentials>().ConfigureTls);

    public static GrpcChannel Create(IServiceProvider services, Action<SslClientAuthenticationOptions> configureTls)
    {
        var settings = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var sockets = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        };
        configureTls(sockets.SslOptions);

        var handler = services.GetRequiredService<IServiceDiscoveryHttpMessageHandlerFactory>().CreateHandler(sockets);

        return GrpcChannel.ForAddress(settings.ControllerUrl, new GrpcChannelOptions
        {
            // An HttpClient rather than a handler: given a SocketsHttpHandler, Grpc.Net.Client runs its own
            // name resolution and would bypass service discovery's rewrite of http://_agents.controller.
            HttpClient = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
            DisposeHttpClient = true,
            // Inventory snapshots of very large hosts can be big; 64 MiB covers ~100k containers.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        });
    }
}
