using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Harbor.Controller.Extensions;

/// <summary>
/// The controller listens twice: the web endpoint(s) from the standard <c>urls</c> /
/// <c>ASPNETCORE_URLS</c> setting (API, health, metrics) and the agent hub endpoint from
/// <c>Harbor:Controller:Agents:ListenUrl</c> (gRPC, HTTP/2 only).
/// <para>
/// The agent hub serves TLS with a certificate from the controller's own CA (negotiating h2 through
/// ALPN) and asks agents for their client certificate; only development mode (a DevToken) serves it
/// as plain HTTP/2. A web URL with <c>https://</c> needs the certificate in <c>Harbor:Controller:Https</c>
/// and then serves HTTP/1.1 and HTTP/2; plain <c>http://</c> serves HTTP/1.1.
/// </para>
/// </summary>
internal sealed class ControllerListeners
{
    public const string DefaultApiUrl = "http://127.0.0.1:8480";
    public const string DefaultAgentUrl = "https://127.0.0.1:8481";
    public const string AgentListenUrlKey = "Harbor:Controller:Agents:ListenUrl";

    /// <summary>Shorthand for a loopback agent hub on this port (the Aspire AppHost sets it).</summary>
    public const string AgentListenPortKey = "Harbor:Controller:Agents:ListenPort";

    public const string DevTokenKey = "Harbor:Controller:Agents:DevToken";

    /// <summary>PEM certificate (with <c>KeyPath</c>) or PKCS#12 file (with optional <c>Password</c>) for https:// web URLs.</summary>
    public const string HttpsCertificatePathKey = "Harbor:Controller:Https:CertificatePath";
    public const string HttpsKeyPathKey = "Harbor:Controller:Https:KeyPath";
    public const string HttpsPasswordKey = "Harbor:Controller:Https:Password";

    private readonly List<ListenOptions> api = [];
    private ListenOptions? agents;
    private IReadOnlyList<string> apiUrls = [DefaultApiUrl];
    private string agentUrl = DefaultAgentUrl;
    private X509Certificate2? webCertificate;

    /// <summary>The agent hub address, with the real port once the server has started.</summary>
    public Uri AgentHubAddress => ToUri(agents ?? throw new InvalidOperationException("The controller has not configured its listeners yet."), AgentHubUsesTls);

    /// <summary>
    /// The agent hub address as it listens, with the real port once the server has started; unlike
    /// <see cref="AgentHubAddress"/> a hub on every interface keeps its wildcard host (0.0.0.0 or [::]), which
    /// the install commands replace with the host the browser reached the controller on.
    /// </summary>
    public Uri AgentHubListenAddress => ToUri(agents ?? throw new InvalidOperationException("The controller has not configured its listeners yet."), AgentHubUsesTls, keepWildcard: true);

    /// <summary>The first web address, with the real port once the server has started.</summary>
    public Uri ApiAddress => ToUri(api.Count > 0 ? api[0] : throw new InvalidOperationException("The controller has not configured its listeners yet."), IsHttps(apiUrls[0]));

    public bool AgentHubUsesTls { get; private set; } = true;

    public bool ApiUsesTls { get; private set; }

    /// <summary>
    /// Reads the addresses (and checks they fit the security mode), then clears <c>urls</c>/<c>http_ports</c>
    /// so that Kestrel does not also bind them (and warn that code overrides them).
    /// </summary>
    public void Take(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var devMode = !string.IsNullOrWhiteSpace(configuration[DevTokenKey]);
        apiUrls = [.. ApiUrls(configuration)];
        agentUrl = configuration[AgentListenUrlKey] is { Length: > 0 } configured
            ? configured
            : configuration[AgentListenPortKey] is { Length: > 0 } port ? $"{(devMode ? "http" : "https")}://127.0.0.1:{port}"
            : devMode ? DefaultAgentUrl.Replace("https://", "http://", StringComparison.Ordinal) : DefaultAgentUrl;

        AgentHubUsesTls = IsHttps(agentUrl);
        if (AgentHubUsesTls == devMode)
        {
            throw new InvalidOperationException(devMode
                ? $"{AgentListenUrlKey} '{agentUrl}': in development mode ({DevTokenKey}) the agent hub serves plain http://."
                : $"{AgentListenUrlKey} '{agentUrl}': the agent hub serves TLS with the controller's own CA; use an https:// URL. " +
                  $"(Plain http:// is only for development mode, {DevTokenKey}.)");
        }

        ApiUsesTls = apiUrls.Any(IsHttps);
        if (ApiUsesTls)
        {
            webCertificate = LoadWebCertificate(configuration);
        }

        configuration[WebHostDefaults.ServerUrlsKey] = string.Empty;
        configuration[WebHostDefaults.HttpPortsKey] = string.Empty;
        configuration[WebHostDefaults.HttpsPortsKey] = string.Empty;
    }

    /// <param name="kestrel">The server options.</param>
    /// <param name="agentTls">Per-connection TLS settings of the agent hub (null in development mode).</param>
    public void Configure(KestrelServerOptions kestrel, Func<TlsHandshakeCallbackContext, ValueTask<SslServerAuthenticationOptions>>? agentTls)
    {
        api.Clear();
        foreach (var url in apiUrls)
        {
            var https = IsHttps(url);
            // Cleartext cannot negotiate HTTP/2, and browsers and curl speak 1.1; with TLS, ALPN offers both.
            api.Add(Listen(kestrel, url, https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, listen =>
            {
                if (https)
                {
                    listen.UseHttps(webCertificate!);
                }
            }));
        }

        agents = Listen(kestrel, agentUrl, HttpProtocols.Http2, listen =>
        {
            if (AgentHubUsesTls)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = agentTls ?? throw new InvalidOperationException("The agent hub needs TLS settings."),
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                });
            }
        });
    }

    private static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static X509Certificate2 LoadWebCertificate(ConfigurationManager configuration)
    {
        var path = configuration[HttpsCertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"An https:// web URL needs a certificate: set {HttpsCertificatePathKey} (PEM with {HttpsKeyPathKey}, or a .pfx/.p12 file with {HttpsPasswordKey}).");
        }

        try
        {
            return path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, configuration[HttpsPasswordKey])
                : X509Certificate2.CreateFromPemFile(path, configuration[HttpsKeyPathKey]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Cannot load the web certificate from {path}: {e.Message}", e);
        }
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

    private static ListenOptions Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, Action<ListenOptions> configure)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) && !string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"'{url}': only http:// and https:// URLs can be served.");
        }

        ListenOptions? bound = null;
        void Capture(ListenOptions options)
        {
            options.Protocols = protocols;
            configure(options);
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

    private static Uri ToUri(ListenOptions options, bool tls, bool keepWildcard = false)
    {
        var endpoint = options.IPEndPoint!;
        var host = !keepWildcard && (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
            ? "127.0.0.1"
            : endpoint.Address.ToString();
        if (endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && host != "127.0.0.1")
        {
            host = $"[{host}]";
        }

        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{(tls ? "https" : "http")}://{host}:{endpoint.Port}"));
    }
}
