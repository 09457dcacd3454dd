using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Harbor.Controller.Extensions;

/// <summary>
/// The controller listens twice: the web endpoint(s) from the standard <c>urls</c> /
/// <c>ASPNETCORE_URLS</c> setting (API, health, metrics; HTTP/1.1 and HTTP/2) and the agent hub
/// endpoint from <c>Harbor:Controller:Agents:ListenUrl</c> (gRPC; HTTP/2 only). Two endpoints
/// because without TLS there is no protocol negotiation: a cleartext port serves either HTTP/1.1
/// browsers or HTTP/2 gRPC clients, not both.
/// </summary>
internal sealed class ControllerListeners
{
    public const string DefaultApiUrl = "http://127.0.0.1:8480";
    public const string DefaultAgentUrl = "http://127.0.0.1:8481";
    public const string AgentListenUrlKey = "Harbor:Controller:Agents:ListenUrl";

    /// <summary>Shorthand for a loopback agent hub on this port (the Aspire AppHost sets it).</summary>
    public const string AgentListenPortKey = "Harbor:Controller:Agents:ListenPort";

    private readonly List<ListenOptions> api = [];
    private ListenOptions? agents;

    /// <summary>The agent hub address, with the real port once the server has started.</summary>
    public Uri AgentHubAddress => ToUri(agents ?? throw new InvalidOperationException("The controller has not configured its listeners yet."));

    /// <summary>The first web address, with the real port once the server has started.</summary>
    public Uri ApiAddress => ToUri(api.Count > 0 ? api[0] : throw new InvalidOperationException("The controller has not configured its listeners yet."));

    private IReadOnlyList<string> apiUrls = [DefaultApiUrl];
    private string agentUrl = DefaultAgentUrl;

    /// <summary>
    /// Reads the addresses, then clears <c>urls</c>/<c>http_ports</c> so that Kestrel does not also
    /// bind them (and warn that code overrides them).
    /// </summary>
    public void Take(WebApplicationBuilder builder)
    {
        apiUrls = [.. ApiUrls(builder.Configuration)];
        agentUrl = builder.Configuration[AgentListenUrlKey] is { Length: > 0 } configured
            ? configured
            : builder.Configuration[AgentListenPortKey] is { Length: > 0 } port ? $"http://127.0.0.1:{port}" : DefaultAgentUrl;
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = string.Empty;
        builder.Configuration[WebHostDefaults.HttpPortsKey] = string.Empty;
        builder.Configuration[WebHostDefaults.HttpsPortsKey] = string.Empty;
    }

    public void Configure(KestrelServerOptions kestrel)
    {
        api.Clear();
        foreach (var url in apiUrls)
        {
            // HTTP/1.1 only: cleartext cannot negotiate HTTP/2, and browsers and curl speak 1.1.
            api.Add(Listen(kestrel, url, HttpProtocols.Http1));
        }

        agents = Listen(kestrel, agentUrl, HttpProtocols.Http2);
    }

    private static IEnumerable<string> ApiUrls(ConfigurationManager configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        // ASPNETCORE_HTTP_PORTS is what the official ASP.NET container images set.
        if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            return ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}");
        }

        return [DefaultApiUrl];
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"'{url}': the controller serves plain HTTP for now; put a TLS-terminating reverse proxy in front for HTTPS.");
        }

        ListenOptions? bound = null;
        void Capture(ListenOptions options)
        {
            options.Protocols = protocols;
            bound = options;
        }

        var host = address.Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.Listen(IPAddress.Loopback, address.Port, Capture);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, Capture);
        }
        else
        {
            // "*", "+", "0.0.0.0" or a host name: every interface, as Kestrel itself does.
            kestrel.ListenAnyIP(address.Port, Capture);
        }

        return bound!;
    }

    private static Uri ToUri(ListenOptions options)
    {
        var endpoint = options.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? "127.0.0.1"
            : endpoint.Address.ToString();
        if (endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && host != "127.0.0.1")
        {
            host = $"[{host}]";
        }

        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{endpoint.Port}"));
    }
}
