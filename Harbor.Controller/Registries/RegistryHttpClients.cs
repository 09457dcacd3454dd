using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Harbor.Controller.Registries;

/// <summary>
/// HTTP clients for registries: one shared connection pool with system trust, plus one per registry
/// that has its own CA. Redirects are followed (blob and token endpoints use them); HttpClient drops
/// the Authorization header when a redirect leaves the host.
/// </summary>
internal sealed class RegistryHttpClients(RegistryClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> custom = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<HttpClient> shared = new(() => Create(options, null));

    public HttpClient For(string registry)
    {
        var endpoint = options.Find(registry);
        return endpoint?.CaCertificateFile is { Length: > 0 } caFile
            ? custom.GetOrAdd(registry, _ => Create(options, LoadCertificates(caFile)))
            : shared.Value;
    }

    /// <summary>http or https for this registry: explicit Insecure wins, loopback defaults to plain HTTP as in the Docker engine.</summary>
    public string SchemeFor(string registry)
    {
        var insecure = options.Find(registry)?.Insecure ?? IsLoopback(registry);
        return insecure ? "http" : "https";
    }

    public static bool IsLoopback(string registry)
    {
        var host = registry;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    public void Dispose()
    {
        if (shared.IsValueCreated)
        {
            shared.Value.Dispose();
        }

        foreach (var client in custom.Values)
        {
            client.Dispose();
        }
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new InvalidOperationException($"'{path}' holds no PEM certificate.");
    }

    private static HttpClient Create(RegistryClientOptions options, X509Certificate2Collection? trust)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseCookies = false,
        };
        if (trust is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(trust);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }

        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"Harbor/{typeof(RegistryHttpClients).Assembly.GetName().Version?.ToString(3) ?? "0"}");
        return client;
    }
}
