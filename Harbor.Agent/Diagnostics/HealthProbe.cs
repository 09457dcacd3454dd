using Harbor.Agent.Extensions;

namespace Harbor.Agent.Diagnostics;

/// <summary>
/// <c>Harbor.Agent health</c>: asks the running agent's <c>/health</c> endpoint and exits 0 when it
/// answers 2xx (healthy or degraded), 1 otherwise. The container image's HEALTHCHECK runs it, because the
/// image has no shell, curl or wget. It reads the same listen address the agent does (ASPNETCORE_URLS or
/// DOTNET_URLS, else the default), so a changed port keeps working.
/// </summary>
internal static class HealthProbe
{
    public const string Command = "health";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args is [Command];

    public static async Task<int> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var target = Target(
            Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Environment.GetEnvironmentVariable("DOTNET_URLS"),
            Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? Environment.GetEnvironmentVariable("DOTNET_HTTP_PORTS"));
        if (target is null)
        {
            await output.WriteLineAsync("The agent listens on a port chosen at start (port 0); set ASPNETCORE_URLS to a fixed port to probe it.");
            return 1;
        }

        using var client = new HttpClient { Timeout = Timeout };
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
    /// The health URL for the listen settings as the agent applies them (URLS, else HTTP_PORTS, else the default;
    /// the first of several; a wildcard host means loopback); null for port 0.
    /// </summary>
    public static Uri? Target(string? urls, string? httpPorts)
    {
        var setting = !string.IsNullOrWhiteSpace(urls) ? urls
            : !string.IsNullOrWhiteSpace(httpPorts) ? "http://127.0.0.1:" + httpPorts.Split(';', StringSplitOptions.TrimEntries)[0]
            : AgentExtensions.DefaultUrl;
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
