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
    public async Task Schedule_ContainerWithOwnCheckSchedule_CheckedOnItsScheduleOnlyAndTheRestOnTheInterval()
    {
        using var data = new TempDirectory("own-schedule");
        // Yesterday 23:00 UTC: "TZ=Asia/Kolkata 0 5 * * *" (UTC+05:30, no daylight saving) is due at 23:30 UTC.
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-1);
        var clock = new FakeTimeProvider(start);
        await using var controller = await ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
        {
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "true",
            ["Harbor:Controller:Checks:FirstCheckDelay"] = "00:05:00",
            ["Harbor:Controller:Checks:Interval"] = "01:00:00",
            ["Harbor:Controller:Webhooks:Secret"] = DetectionFixture.WebhookSecret,
        });
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var image = await stack.Registry.Uploader.PushImageAsync($"{host}/app", "1", "app-1");
        var reference = $"{stack.Registry.Host}/{host}/app";
        await DetectionFixture.ReportAsync(controller, host,
            DetectionFixture.Container("plain", $"{reference}:1", repoDigests: $"{reference}@{image.Digest}"),
            DetectionFixture.Container("nightly", $"{reference}:1", new Dictionary<string, string> { ["harbor.check-schedule"] = "TZ=Asia/Kolkata 0 5 * * *" },
                repoDigests: $"{reference}@{image.Digest}"));

        async Task<List<ApiCheckRun>> ScheduledRuns() =>
            [.. (await controller.GetJsonAsync<List<ApiCheckRun>>("/api/v1/checks")).Where(r => r.TriggeredBy == "schedule" && r.Status == "completed")];
        Task<ApiContainerWithStatus> Container(string id) => controller.GetJsonAsync<ApiContainerWithStatus>($"/api/v1/containers/{host}/{id}");
        Task<System.Text.Json.JsonElement> Plan() => controller.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/checks/schedule");
        static DateTimeOffset? At(System.Text.Json.JsonElement plan, string name) =>
            plan.GetProperty(name).ValueKind == System.Text.Json.JsonValueKind.Null ? null : plan.GetProperty(name).GetDateTimeOffset();

        // 23:00, before anything ran: everything at 23:05 (the first-check delay).
        var planned = await Plan();
        Assert.Equal((true, 3600L, start.AddMinutes(5)),
            (planned.GetProperty("enabled").GetBoolean(), planned.GetProperty("intervalSeconds").GetInt64(), At(planned, "nextEverythingAt")));

        // 23:05: the interval's run checks everything but the container with its own schedule.
        clock.Advance(TimeSpan.FromMinutes(5));
        var first = Assert.Single(await Eventually.GetAsync(ScheduledRuns, r => r.Count == 1, TimeSpan.FromSeconds(20), "the interval's first run"));
        Assert.Equal(("all", 1), (first.Scope.Kind, first.Progress.Containers));
        Assert.Equal(start.AddMinutes(5), (await Container("plain")).Update.CheckedAt);
        Assert.Equal("unchecked", (await Container("nightly")).Update.Status);
        // Next: the nightly container at 23:30, everything again at 00:05.
        planned = await Eventually.GetAsync(Plan, p => At(p, "nextOwnScheduleAt") is not null, TimeSpan.FromSeconds(20), "the own schedules are planned");
        Assert.Equal((start.AddMinutes(65), start.AddMinutes(30), start.AddMinutes(30)),
            (At(planned, "nextEverythingAt"), At(planned, "nextOwnScheduleAt"), At(planned, "nextAt")));

        // 23:30 (05:00 in Kolkata): only the container with its own schedule.
        clock.Advance(TimeSpan.FromMinutes(25));
        var own = (await Eventually.GetAsync(ScheduledRuns, r => r.Count == 2, TimeSpan.FromSeconds(20), "the own schedule's run"))
            .Single(r => r.Scope.Kind == "containers");
        Assert.Equal((host, "nightly"), (own.Scope.Containers!.Single().HostId, own.Scope.Containers!.Single().ContainerId));
        Assert.Equal(1, own.Results.UpToDate);
        Assert.Equal(start.AddMinutes(30), (await Container("nightly")).Update.CheckedAt);
        Assert.Equal(start.AddMinutes(5), (await Container("plain")).Update.CheckedAt);
        var explained = await controller.GetJsonAsync<System.Text.Json.JsonElement>($"/api/v1/containers/{host}/nightly/policy");
        Assert.Equal(start.AddDays(1).AddMinutes(30), explained.GetProperty("nextCheckAt").GetDateTimeOffset());
        planned = await Plan();
        Assert.Equal((start.AddDays(1).AddMinutes(30), start.AddMinutes(65)), (At(planned, "nextOwnScheduleAt"), At(planned, "nextAt")));

        // 00:05: the interval again, and again without it (its next own check is tomorrow at 23:30 UTC).
        clock.Advance(TimeSpan.FromMinutes(35));
        await Eventually.GetAsync(ScheduledRuns, r => r.Count == 3, TimeSpan.FromSeconds(20), "the interval's second run");
        Assert.Equal(start.AddMinutes(65), (await Container("plain")).Update.CheckedAt);
        Assert.Equal(start.AddMinutes(30), (await Container("nightly")).Update.CheckedAt);
        Assert.Equal(2, (await ScheduledRuns()).Count(r => r.Scope.Kind == "all"));
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
