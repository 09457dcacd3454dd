using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// The controller as a user runs it from its image: built by eng/controller-image.sh (once per test class,
/// under a tag of its own), started with <c>docker run</c>, a named volume for its data and both ports
/// published on free loopback ports. The first admin is created with the setup token from <c>docker logs</c>.
/// </summary>
public sealed partial class ControllerImageDeployment : IAsyncLifetime
{
    private readonly TempDirectory data = new("controller-image");

    /// <summary>The image this class built, e.g. harbor-test/controller:1a2b3c4d.</summary>
    public string Image { get; } = "harbor-test/controller:" + Guid.NewGuid().ToString("N")[..8];

    public TimeSpan BuildTime { get; private set; }

    public string Container { get; } = TestNames.Unique("controller");

    public string DataVolume { get; } = TestNames.Unique("controller-data");

    public int WebPort { get; } = RegistryServer.FreePort();

    public int HubPort { get; } = RegistryServer.FreePort();

    public Uri WebAddress => new($"http://127.0.0.1:{WebPort}");

    public Uri HubAddress => new($"https://127.0.0.1:{HubPort}");

    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";

    /// <summary>Signed in as the first admin (session cookie and CSRF header), after <see cref="CompleteFirstRunAsync"/>.</summary>
    public HttpClient Admin { get; } = new(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        var started = Stopwatch.StartNew();
        await ImageScript.BuildAsync("controller-image.sh", Image, data.Combine("image"));
        BuildTime = started.Elapsed;
        Admin.BaseAddress = WebAddress;

        await DockerCli.CheckedAsync("volume", "create", "--label", OwnerLabel, DataVolume);
        await DockerCli.CheckedAsync(
            "run", "-d", "--name", Container, "--label", OwnerLabel,
            "-p", $"127.0.0.1:{WebPort}:8480",
            "-p", $"127.0.0.1:{HubPort}:8481",
            "-v", $"{DataVolume}:/var/lib/harbor",
            // The image probes every 30 s; a test does not wait that long for the first result.
            "--health-interval", "2s",
            Image);
        await WaitUntilHealthyAsync();
    }

    public async Task<string> LogsAsync() => (await DockerCli.RunAsync("logs", Container)) is var r ? r.Output + r.Error : "";

    public async Task<string> InspectAsync(string format) => await DockerCli.CheckedAsync("inspect", "--format", format, Container);

    /// <summary>Waits for the image's own HEALTHCHECK (Harbor.Controller health) to pass.</summary>
    public async Task WaitUntilHealthyAsync() =>
        await Eventually.GetAsync(
            () => InspectAsync("{{.State.Health.Status}}"),
            status => status == "healthy",
            TimeSpan.FromSeconds(90),
            "the controller container turns healthy");

    /// <summary>The first-run setup through the API with the token the controller printed; signs <see cref="Admin"/> in.</summary>
    public async Task CompleteFirstRunAsync()
    {
        var token = SetupToken().Match(await LogsAsync()) is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException("The controller container printed no setup token:\n" + await LogsAsync());
        using var setup = await Admin.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = ControllerHost.AdminUserName, password = ControllerHost.AdminPassword });
        await ControllerHost.EnsureSuccessAsync(setup, "complete the first-run setup");
        Admin.DefaultRequestHeaders.Add("X-Harbor-Csrf", (await setup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString());
        Admin.DefaultRequestHeaders.Add("Cookie", string.Join("; ", setup.Headers.GetValues("Set-Cookie").Select(v => v.Split(';')[0])));
    }

    public async Task<string> CreateEnrollmentTokenAsync()
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/agents/enrollment-tokens", new { description = "controller image test" });
        await ControllerHost.EnsureSuccessAsync(response, "create an enrollment token");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<List<ApiHost>> GetHostsAsync() => (await Admin.GetFromJsonAsync<List<ApiHost>>("/api/v1/hosts"))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await DockerCli.RemoveContainersWithLabelAsync(OwnerLabel);
        await DockerCli.RunAsync("volume", "rm", DataVolume);
        await DockerCli.RunAsync("rmi", Image);
        data.Dispose();
    }

    [GeneratedRegex(@"hst_[A-Za-z0-9_\-]+")]
    private static partial Regex SetupToken();
}
