namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>Harbor.Agent health</c> and <c>Harbor.Controller health</c>: asks the running program's <c>/health</c>
/// endpoint and exits 0 when it answers 2xx (healthy or degraded), 1 otherwise. The container images'
/// HEALTHCHECK runs it, because the images have no shell, curl or wget. It reads the same listen address the
/// program does (ASPNETCORE_URLS or DOTNET_URLS, else HTTP_PORTS, else the program's default), so a changed
/// port keeps working.
/// </summary>
public static class HealthProbe
{
    public const string Command = "health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args is [Command];

    /// <param name="output">Where the answer (or the reason there is none) is written.</param>
    /// <param name="defaultUrl">Where the program listens when nothing is configured.</param>
    public static async Task<int> RunAsync(TextWriter output, string defaultUrl)
    {
        ArgumentNullException.ThrowIfNull(output);
        var target = Target(
            Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Environment.GetEnvironmentVariable("DOTNET_URLS"),
            Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? Environment.GetEnvironmentVariable("DOTNET_HTTP_PORTS"),
            defaultUrl);
        if (target is null)
        {
            await output.WriteLineAsync("The program listens on a port chosen at start (port 0); set ASPNETCORE_URLS to a fixed port to probe it.");
            return 1;
        }

        // The probe asks its own process over loopback: an https:// endpoint's certificate names the public
        // host, not 127.0.0.1, and proves nothing here.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(target);
            var body = await response.Content.ReadAsStringAsync();
            await output.WriteLineAsync($"{target}: {(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{target}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The health URL for the listen settings as the program applies them (URLS, else HTTP_PORTS, else
    /// <paramref name="defaultUrl"/>; the first of several; a wildcard host means loopback); null for port 0.
    /// </summary>
    public static Uri? Target(string? urls, string? httpPorts, string defaultUrl)
    {
        var setting = !string.IsNullOrWhiteSpace(urls) ? urls
            : !string.IsNullOrWhiteSpace(httpPorts) ? "http://127.0.0.1:" + httpPorts.Split(';', StringSplitOptions.TrimEntries)[0]
            : defaultUrl;
        var first = setting.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];

        // Kestrel accepts "*" and "+" as hosts, which Uri does not parse.
        var parsed = new Uri(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        if (parsed.Port == 0)
        {
            return null;
        }

        var host = parsed.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => parsed.Host,
        };
        return new UriBuilder(parsed) { Host = host, Path = ServiceDefaultsExtensions.HealthEndpointPath }.Uri;
    }
}
