using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Harbor.Testing;

/// <summary>
/// A real registry (Debian's docker-registry, CNCF distribution 2.8) on a free loopback port, with
/// no authentication, htpasswd Basic authentication, or token authentication against a
/// <see cref="TokenServer"/>. One per test class: start it in a class fixture. Docker treats 127.0.0.0/8 registries as insecure-allowed, so the engine pushes and pulls
/// over plain HTTP without daemon configuration.
/// </summary>
public sealed partial class RegistryServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly TempDirectory directory;

    private RegistryServer(Process process, TempDirectory directory, int port, string? username, string? password, TokenServer? tokens = null)
    {
        Tokens = tokens;
        this.process = process;
        this.directory = directory;
        Port = port;
        Username = username;
        Password = password;
    }

    public int Port { get; }

    /// <summary>host:port, the registry part of image references, e.g. 127.0.0.1:40123.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseAddress => new($"{(Tls ? "https" : "http")}://{Host}");

    /// <summary>Serves HTTPS with a test certificate (see <see cref="StartWithTlsAsync"/>).</summary>
    public bool Tls { get; private init; }

    public string? Username { get; }

    public string? Password { get; }

    public string StorageDirectory => directory.Combine("data");

    /// <summary>The token server, in token-auth mode.</summary>
    public TokenServer? Tokens { get; }

    /// <summary>Pushes content through the Distribution API with this registry's credentials (no Docker engine needed).</summary>
    public RegistryUploader Uploader => new(BaseAddress, scope =>
        Tokens is not null ? "Bearer " + Tokens.IssueToken(Username!, scope)
        : Username is not null ? "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"))
        : null);

    /// <summary>
    /// Starts a registry that uses distribution's token authentication: clients get a Bearer
    /// challenge naming a <see cref="TokenServer"/> that accepts <paramref name="username"/>/<paramref name="password"/>.
    /// </summary>
    public static async Task<RegistryServer> StartWithTokenAuthAsync(string username, string password)
    {
        var tokens = await TokenServer.StartAsync(username, password);
        try
        {
            return await StartCoreAsync(username, password, tokens, null, login: false, tls: null);
        }
        catch
        {
            await tokens.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a registry; with a username and password it requires htpasswd Basic auth.</summary>
    /// <param name="login">Also <c>docker login</c> the engine (needed to push with the Docker CLI; not for <see cref="Uploader"/>).</param>
    public static Task<RegistryServer> StartAsync(string? username = null, string? password = null, string? extraConfig = null, bool login = true) =>
        StartCoreAsync(username, password, null, extraConfig, login, tls: null);

    /// <summary>An anonymous registry serving HTTPS with the given PEM certificate and key (e.g. signed by a test CA).</summary>
    public static Task<RegistryServer> StartWithTlsAsync(string certificatePemFile, string keyPemFile) =>
        StartCoreAsync(null, null, null, null, login: false, tls: (certificatePemFile, keyPemFile));

    private static async Task<RegistryServer> StartCoreAsync(
        string? username, string? password, TokenServer? tokens, string? extraConfig, bool login, (string Certificate, string Key)? tls)
    {
        var binary = new[] { "/usr/bin/docker-registry", "/usr/local/bin/docker-registry" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("docker-registry is not installed (apt-get install docker-registry); eng/test.sh installs it.");
        var directory = new TempDirectory("registry");
        var port = FreePort();
        var auth = "";
        if (tokens is not null)
        {
            await File.WriteAllTextAsync(directory.Combine("token-signer.pem"), tokens.CertificatePem);
            auth = $"""
                auth:
                  token:
                    realm: {tokens.Realm}
                    service: {TokenServer.Service}
                    issuer: {TokenServer.Issuer}
                    rootcertbundle: {directory.Combine("token-signer.pem")}
                """;
        }
        else if (username is not null)
        {
            var htpasswd = await RunAsync("htpasswd", "-Bbn", username, password ?? "");
            await File.WriteAllTextAsync(directory.Combine("htpasswd"), htpasswd);
            auth = $"""
                auth:
                  htpasswd:
                    realm: harbor-test
                    path: {directory.Combine("htpasswd")}
                """;
        }

        var config = directory.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {directory.Combine("data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {(tls is { } t ? $"  tls:\n    certificate: {t.Certificate}\n    key: {t.Key}" : "")}
            {auth}
            {extraConfig ?? ""}
            """);

        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RegistryServer(process, directory, port, username, password, tokens) { Tls = tls is not null };
        // Readiness only: the test decides elsewhere whether the certificate is trusted.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(server.BaseAddress, "/v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"docker-registry did not start on {server.Host}.");
            }

            await Task.Delay(50);
        }

        if (username is not null && login)
        {
            await DockerCli.CheckedWithInputAsync(password ?? "", "login", server.Host, "-u", username, "--password-stdin");
        }

        return server;
    }

    /// <summary>Tags a local image as host/repository:tag, pushes it, and returns the manifest digest (sha256:…).</summary>
    public async Task<string> PushAsync(string localImage, string repository, string tag)
    {
        var reference = $"{Host}/{repository}:{tag}";
        await DockerCli.CheckedAsync("tag", localImage, reference);
        var output = await DockerCli.CheckedAsync("push", reference);
        var match = DigestPattern().Match(output);
        return match.Success ? match.Value : throw new InvalidOperationException($"No digest in the push output: {output}");
    }

    /// <summary>Kills the registry process: from now on its port refuses connections (a registry that is down).</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        directory.Dispose();
        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<string> RunAsync(string file, params string[] arguments) => LocalProcess.RunAsync(file, arguments);

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();
}
