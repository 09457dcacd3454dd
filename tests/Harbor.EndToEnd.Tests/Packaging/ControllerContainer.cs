using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// A controller running as a container (its image, or the compose file's service), driven as a user does:
/// <c>docker logs</c> for the setup token, then the API on the published web port as the first admin.
/// </summary>
public sealed partial class ControllerContainer(string name, int webPort) : IDisposable
{
    public string Name { get; } = name;

    public Uri WebAddress { get; } = new($"http://127.0.0.1:{webPort}");

    /// <summary>Signed in as the first admin (session cookie and CSRF header), after <see cref="CompleteFirstRunAsync"/>.</summary>
    public HttpClient Admin { get; } = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = new($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<string> LogsAsync() => (await DockerCli.RunAsync("logs", Name)) is var r ? r.Output + r.Error : "";

    public async Task<string> InspectAsync(string format) => await DockerCli.CheckedAsync("inspect", "--format", format, Name);

    /// <summary>Waits for the image's own HEALTHCHECK (Harbor.Controller health) to pass.</summary>
    public async Task WaitUntilHealthyAsync() =>
        await Eventually.GetAsync(
            () => InspectAsync("{{.State.Health.Status}}"),
            status => status == "healthy",
            TimeSpan.FromSeconds(90),
            $"the controller container {Name} turns healthy");

    /// <summary>The first-run setup through the API with the token the controller printed; signs <see cref="Admin"/> in.</summary>
    public async Task CompleteFirstRunAsync()
    {
        var token = SetupToken().Match(await LogsAsync()) is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"The controller container {Name} printed no setup token:\n" + await LogsAsync());
        using var setup = await Admin.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = ControllerHost.AdminUserName, password = ControllerHost.AdminPassword });
        await ControllerHost.EnsureSuccessAsync(setup, "complete the first-run setup");
        Admin.DefaultRequestHeaders.Add("X-Harbor-Csrf", (await setup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString());
        Admin.DefaultRequestHeaders.Add("Cookie", string.Join("; ", setup.Headers.GetValues("Set-Cookie").Select(v => v.Split(';')[0])));
    }

    public async Task<string> CreateEnrollmentTokenAsync()
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/agents/enrollment-tokens", new { description = "controller container test" });
        await ControllerHost.EnsureSuccessAsync(response, "create an enrollment token");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<List<ApiHost>> GetHostsAsync() => (await Admin.GetFromJsonAsync<List<ApiHost>>("/api/v1/hosts"))!;

    public void Dispose() => Admin.Dispose();

    [GeneratedRegex(@"hst_[A-Za-z0-9_\-]+")]
    private static partial Regex SetupToken();
}
