using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery.Http;

namespace Harbor.Agent.Connection;

/// <summary>
/// Builds the one gRPC channel to the controller: HTTP/2 keep-alive pings so a dead peer is noticed
/// in seconds, and service discovery so <c>http://controller</c> works under the Aspire AppHost.
/// </summary>
internal static class ControllerChannelFactory
{
    public static GrpcChannel Create(IServiceProvider services)
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
