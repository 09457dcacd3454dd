using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Checks;

[Collection(nameof(OwnControllerTests))]
public sealed class CheckSchedulingTests(DetectionFixture stack) : IClassFixture<DetectionFixture>
{
    [Fact]
    public async Task Schedule_EveryInterval_ChecksEverything()
    {
        using var data = new TempDirectory("schedule");
        // Starts at the real "now": session cookies carry an expiry that the HTTP client compares with real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var controller = await ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
        {
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "true",
            ["Harbor:Controller:Checks:FirstCheckDelay"] = "00:00:00",
            ["Harbor:Controller:Checks:Interval"] = "01:00:00",
            ["Harbor:Controller:Webhooks:Secret"] = DetectionFixture.WebhookSecret,
        });

        async Task<List<ApiCheckRun>> ScheduledRuns() =>
            [.. (await controller.GetJsonAsync<List<ApiCheckRun>>("/api/v1/checks")).Where(r => r.TriggeredBy == "schedule")];

        await Eventually.GetAsync(ScheduledRuns, runs => runs.Count == 1, TimeSpan.FromSeconds(10), "the first scheduled check starts");
        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Single(await ScheduledRuns());

        clock.Advance(TimeSpan.FromMinutes(1));
        var runs = await Eventually.GetAsync(ScheduledRuns, r => r.Count == 2, TimeSpan.FromSeconds(10), "the next check starts an interval later");
        Assert.All(runs, r => Assert.Equal("all", r.Scope.Kind));
    }

    [Fact]
    public async Task Check_SlowRegistry_DoesNotHoldBackOtherRegistriesResults()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        using var release = new SemaphoreSlim(0);
        await using var slow = await StubHttpServer.StartAsync(async context =>
        {
            await release.WaitAsync(TimeSpan.FromSeconds(15));
            context.Response.Headers["Docker-Content-Digest"] = "sha256:" + new string('5', 64);
            context.Response.ContentType = "application/vnd.docker.distribution.manifest.v2+json";
        });
        var fast = await stack.Registry.Uploader.PushImageAsync($"{host}/fast", "1", "fast-1");
        await stack.ReportAsync(host,
            DetectionFixture.Container("fast", $"{stack.Registry.Host}/{host}/fast:1", repoDigests: $"{stack.Registry.Host}/{host}/fast@{fast.Digest}"),
            DetectionFixture.Container("slow", $"{slow.Host}/{host}/slow:1", repoDigests: $"{slow.Host}/{host}/slow@sha256:{new string('5', 64)}"));

        using var response = await stack.Controller.Api.PostAsync("/api/v1/checks",
            new StringContent($"{{\"hostId\":\"{host}\"}}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var run = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ApiCheckRun>(response.Content, TestContext.Current.CancellationToken))!;

        await Eventually.GetAsync(() => stack.ContainerAsync(host, "fast"), c => c.Update.Status == "up-to-date", TimeSpan.FromSeconds(5), "the fast registry's container is decided");
        var during = await stack.Controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}");
        Assert.Equal("running", during.Status);
        Assert.Equal(1, during.Progress.ReferencesDone);
        Assert.Equal("unchecked", (await stack.ContainerAsync(host, "slow")).Update.Status);

        release.Release(10);
        var done = await stack.WaitAsync(run.Id);
        Assert.Equal(2, done.Results.UpToDate);
    }
}
