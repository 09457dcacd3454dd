using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Dependencies on the real engine with the real controller, agent and registry: a db and an app that depends on
/// it. Automation updates db before app; an update of db alone restarts app in place so it reconnects; an agent
/// killed in the middle of that restart leaves app running once it is back.
/// </summary>
public sealed class DependencyTests(DependencyTests.Deployment stack) : IClassFixture<DependencyTests.Deployment>
{
    /// <summary>The shared engine runs other tests' containers too: this controller manages only containers in its own scope.</summary>
    public sealed class Deployment : UpdateDeployment
    {
        public string Scope { get; } = TestNames.Unique("scope");

        protected override IDictionary<string, string?>? ControllerSettings => new Dictionary<string, string?> { ["Harbor:Policy:Scope"] = Scope };
    }

    private string[] Labels(params string[] labels) =>
        [.. new[] { $"com.centurylinklabs.watchtower.scope={stack.Scope}", "harbor.policy=auto", "harbor.verify.stability-window=1s" }.Concat(labels)
            .SelectMany(l => new[] { "-l", l })];

    private async Task<(string Db, string App, Release DbRelease, Release AppRelease)> RunPairAsync(string prefix)
    {
        var db = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var app = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var dbName = TestNames.Unique(prefix + "-db");
        var appName = TestNames.Unique(prefix + "-app");
        await stack.RunAsync(dbName, [.. Labels(), db.OldTag]);
        await stack.RunAsync(appName, [.. Labels($"harbor.depends-on={dbName}"), app.OldTag]);
        await stack.WaitForContainerAsync(dbName);
        await stack.WaitForContainerAsync(appName);
        return (dbName, appName, db, app);
    }

    private async Task<List<ApiJob>> HistoryAsync(string name) =>
        (await stack.Controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/containers/{stack.HostId}/{name}/history")).Items;

    private static async Task<DateTimeOffset> StartedAtAsync(string name) =>
        DateTimeOffset.Parse(await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}"), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Automation_DbAndAppBothHaveUpdates_DbIsUpdatedFirstThenApp_AppIsNotRestartedSeparately()
    {
        var (db, app, dbRelease, appRelease) = await RunPairAsync("both");
        // Tag 1 moves to the new image in the registry: both containers now have an update.
        await stack.Registry.PushAsync(dbRelease.NewImageId, dbRelease.Repository[(stack.Registry.Host.Length + 1)..], "1");
        await stack.Registry.PushAsync(appRelease.NewImageId, appRelease.Repository[(stack.Registry.Host.Length + 1)..], "1");

        using (var check = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId }))
        {
            Assert.Equal(HttpStatusCode.Accepted, check.StatusCode);
        }

        var appJob = await Eventually.GetAsync(
            async () => (await HistoryAsync(app)).FirstOrDefault(j => j.Kind == "update" && j.State == "finished"),
            j => j is not null, TimeSpan.FromSeconds(120), "automation updates app");
        var dbJob = Assert.Single(await HistoryAsync(db), j => j.Kind == "update");

        Assert.True(dbJob.Outcome == "succeeded", $"db: {dbJob.Outcome}: {dbJob.Reason}");
        Assert.True(appJob!.Outcome == "succeeded", $"app: {appJob.Outcome}: {appJob.Reason}");
        Assert.Equal(("policy", "policy"), (dbJob.Trigger, appJob.Trigger));
        // Dependency order: app's job was created only after db's had finished.
        Assert.True(appJob.CreatedAt >= dbJob.FinishedAt, $"app job created {appJob.CreatedAt:O}, db job finished {dbJob.FinishedAt:O}");
        Assert.Equal(dbRelease.NewImageId, await UpdateDeployment.InspectAsync(db, "{{.Image}}"));
        Assert.Equal(appRelease.NewImageId, await UpdateDeployment.InspectAsync(app, "{{.Image}}"));
        // app's own update replaced it: no separate restart for db's update.
        Assert.DoesNotContain(await HistoryAsync(app), j => j.Kind == "restart");
    }

    [Fact]
    public async Task DbOnlyUpdate_AppIsRestartedInPlace_SameContainerNewStart_RestartJobInHistory()
    {
        var (db, app, dbRelease, _) = await RunPairAsync("dbonly");
        var appId = await UpdateDeployment.InspectAsync(app, "{{.Id}}");
        var startedBefore = await StartedAtAsync(app);

        var update = await stack.UpdateAsync(db, new { targetDigest = dbRelease.NewDigest, verify = new { stabilityWindowSeconds = 1 } });
        var restart = await Eventually.GetAsync(
            async () => (await HistoryAsync(app)).FirstOrDefault(j => j.Kind == "restart" && j.State == "finished"),
            j => j is not null, TimeSpan.FromSeconds(60), "app's restart job finishes");

        Assert.True(update.Outcome == "succeeded", $"{update.Outcome}: {update.Reason}");
        Assert.True(restart!.Outcome == "succeeded", $"{restart.Outcome}: {restart.Reason}");
        Assert.Equal(("dependency", update.Id, $"dependency '{db}' updated by job {update.Id}"), (restart.Trigger, restart.CausedByJobId, restart.Cause));
        Assert.True(restart.CreatedAt >= update.FinishedAt);
        Assert.Equal(["check", "stop", "start", "verify"], restart.Steps.Select(s => s.Step));
        Assert.Equal(appId, await UpdateDeployment.InspectAsync(app, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(app, "{{.State.Status}}"));
        Assert.True(await StartedAtAsync(app) > startedBefore, "app was started again");
        Assert.Equal(dbRelease.NewImageId, await UpdateDeployment.InspectAsync(db, "{{.Image}}"));
    }

    [Fact]
    public async Task AgentKilledBetweenStopAndStartOfARestart_OnItsRestartTheDependentRunsAgain()
    {
        var (db, app, dbRelease, _) = await RunPairAsync("killed");
        var appId = await UpdateDeployment.InspectAsync(app, "{{.Id}}");
        await stack.Agent.DisposeAsync();
        await stack.StartAgentAsync(new Dictionary<string, string> { ["HARBOR_AGENT_FAULT_KILL_AT"] = "start" });

        try
        {
            await stack.StartUpdateAsync(db, new { targetDigest = dbRelease.NewDigest, verify = new { stabilityWindowSeconds = 1 } });
            using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                await stack.Agent.WaitForExitAsync(exited.Token);
            }

            // The worst moment of a restart: the dependent is stopped and the agent is gone.
            Assert.Equal("exited", await UpdateDeployment.InspectAsync(app, "{{.State.Status}}"));
        }
        finally
        {
            await stack.StartAgentAsync();
        }

        var restart = await Eventually.GetAsync(
            async () => (await HistoryAsync(app)).FirstOrDefault(j => j.Kind == "restart" && j.State == "finished"),
            j => j is not null, TimeSpan.FromSeconds(60), "the restart is recovered");

        Assert.True(restart!.Outcome == "succeeded", $"{restart.Outcome}: {restart.Reason}");
        Assert.True(restart.Recovered);
        Assert.Contains(restart.Steps, s => s.Step == "recover" && s.Error is null);
        Assert.Equal("running", await UpdateDeployment.InspectAsync(app, "{{.State.Status}}"));
        Assert.Equal(appId, await UpdateDeployment.InspectAsync(app, "{{.Id}}"));
    }
}
