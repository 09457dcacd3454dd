using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Harbor.Testing;

namespace Harbor.AppHost.Tests;

/// <summary>
/// `dotnet run --project Harbor.AppHost` in a test: the real orchestrator starts the controller and
/// an agent for the local engine, both become healthy, and the agent's containers reach the API.
/// </summary>
public sealed class AppHostTests
{
    [Fact]
    public async Task AppHost_StartsHealthyControllerAndAgent_AndTheApiSeesLocalContainers()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        using var data = new Harbor.Testing.TempDirectory("apphost");
        var name = TestNames.Unique("aspire");
        await DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", $"{TestImages.TestLabel}={data.Path}", TestImages.Base, "sleep", "3600");
        try
        {
            var cancellation = TestContext.Current.CancellationToken;
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Harbor_AppHost>(cancellation);
            // Keep the test's state out of the developer's ~/.local/share/harbor.
            builder.CreateResourceBuilder<ProjectResource>("controller")
                .WithEnvironment("Harbor__Controller__DataDirectory", data.Combine("controller"));
            builder.CreateResourceBuilder<ProjectResource>("agent")
                .WithEnvironment("Harbor__Agent__StateDirectory", data.Combine("agent"));

            await using var app = await builder.BuildAsync(cancellation);
            await app.StartAsync(cancellation);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            await app.ResourceNotifications.WaitForResourceHealthyAsync("controller", timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("agent", timeout.Token);

            // A developer's first run: the one-time setup token (printed in the log, and kept in the data
            // directory until used), the first admin, a session.
            var setupToken = (await File.ReadAllTextAsync(data.Combine("controller", "setup-token"), timeout.Token)).Trim();
            using var api = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
            {
                BaseAddress = app.GetEndpoint("controller", "http"),
            };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/hosts", timeout.Token)).StatusCode);
            using var setup = await api.PostAsJsonAsync(
                "/api/v1/setup", new { setupToken, userName = "lead", password = "a long development passphrase" }, timeout.Token);
            Assert.Equal(System.Net.HttpStatusCode.Created, setup.StatusCode);

            var container = await Eventually.GetAsync(
                async () => (await api.GetFromJsonAsync<ApiPage<ApiContainer>>($"/api/v1/containers?name={name}", timeout.Token))!.Items.FirstOrDefault(),
                c => c is not null,
                TimeSpan.FromSeconds(30),
                $"{name} visible through the controller started by the AppHost");
            Assert.Equal("running", container!.State);
            var host = Assert.Single((await api.GetFromJsonAsync<List<ApiHost>>("/api/v1/hosts", timeout.Token))!);
            Assert.True(host.Online);
        }
        finally
        {
            await DockerCli.RunAsync("rm", "-f", name);
        }
    }
}
