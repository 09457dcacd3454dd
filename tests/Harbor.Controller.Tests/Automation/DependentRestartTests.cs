using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Tests.Agents;
using Harbor.Controller.Tests.Checks;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Automation;

/// <summary>
/// Restarting dependents after their dependency was replaced, inside the real controller: real registry and
/// checks (so the engine sees real updates), real SQLite, real gRPC to scripted agents that answer like real ones.
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class DependentRestartTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly TempDirectory data = new("restarts");
    private readonly FakeTimeProvider clock = new(Start);
    private readonly List<FakeAgent> agents = [];
    private RegistryServer registry = null!;
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        registry = await RegistryServer.StartAsync();
        controller = await ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
        {
            ["Harbor:Controller:Agents:HeartbeatInterval"] = "00:10:00",
            ["Harbor:Controller:Agents:OfflineAfter"] = "01:00:00",
            ["Harbor:Controller:Updates:CommandTimeout"] = "1.00:00:00",
            // Passes run only when a test asks (POST /api/v1/automation/evaluate): what the restarter decides on its own is visible.
            ["Harbor:Controller:Automation:Enabled"] = "false",
        });
    }

    /// <summary>A container; <paramref name="Update"/> says whether the registry has a newer image for it.</summary>
    private sealed record Spec(string Name, bool Update, params string[] Labels)
    {
        public ContainerState State { get; init; } = ContainerState.Running;
    }

    private async Task<FakeAgent> HostAsync(bool canRestart, params Spec[] specs)
    {
        var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        agents.Add(agent);
        var hello = FakeAgent.Hello(agent.AgentId);
        hello.Capabilities.Add("updates.v1");
        if (canRestart)
        {
            hello.Capabilities.Add("restart.v1");
        }

        await agent.SendAsync(new AgentMessage { Hello = hello });
        Assert.Equal(ControllerMessage.BodyOneofCase.Welcome, (await agent.ReceiveAsync()).BodyCase);

        var containers = new List<Container>();
        foreach (var spec in specs)
        {
            var repository = $"{agent.AgentId}/{spec.Name}";
            var v1 = await registry.Uploader.PushImageAsync(repository, "1", repository + "-1");
            if (spec.Update)
            {
                await registry.Uploader.PushImageAsync(repository, "1", repository + "-2");
            }

            var container = FakeAgent.Container(IdOf(agent, spec.Name), spec.Name, spec.State);
            container.Image = $"{registry.Host}/{repository}:1";
            container.RepoDigests.Add($"{registry.Host}/{repository}@{v1.Digest}");
            foreach (var label in spec.Labels)
            {
                var equals = label.IndexOf('=', StringComparison.Ordinal);
                container.Labels[label[..equals]] = label[(equals + 1)..];
            }

            containers.Add(container);
        }

        await agent.SendSnapshotAsync(1, [.. containers]);
        await controller.WaitForContainersAsync(agent.AgentId, specs.Length);
        return agent;
    }

    private async Task EvaluateAsync()
    {
        using var response = await controller.PostJsonAsync("/api/v1/automation/evaluate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string IdOf(FakeAgent agent, string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agent.AgentId + name)));

    private async Task<ApiJob> StartUpdateAsync(FakeAgent agent, string name)
    {
        using var response = await controller.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/{name}/update");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ApiJob>())!;
    }

    /// <summary>Reports the job as the agent would, with the image changed (or not), and waits for the acknowledgement.</summary>
    private static async Task FinishAsync(FakeAgent agent, string jobId, JobOutcome outcome = JobOutcome.Succeeded, bool imageChanged = true)
    {
        await agent.SendAsync(new AgentMessage
        {
            JobResult = new JobResult
            {
                JobId = jobId,
                Outcome = outcome,
                ReasonCode = outcome == JobOutcome.Succeeded ? "" : "exited",
                Reason = outcome == JobOutcome.Succeeded ? "" : "The container exited with code 1.",
                FromImageId = "sha256:" + new string('0', 64),
                ToImageId = imageChanged ? "sha256:" + new string('1', 64) : "sha256:" + new string('0', 64),
                StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)),
                FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
        });
    }

    private static async Task<ControllerMessage> NextCommandAsync(FakeAgent agent)
    {
        while (true)
        {
            var message = await agent.ReceiveAsync(TimeSpan.FromSeconds(15));
            if (message.BodyCase is not (ControllerMessage.BodyOneofCase.JobResultAck or ControllerMessage.BodyOneofCase.Heartbeat))
            {
                return message;
            }
        }
    }

    private async Task<List<ApiJob>> RestartsAsync(FakeAgent agent) =>
        // Newest first from the API (the fake clock gives them one created_at): oldest first here.
        [.. (await controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/jobs?host={agent.AgentId}&kind=restart")).Items.AsEnumerable().Reverse()];

    [Fact]
    public async Task UpdateSucceeded_RestartsDependentsInDependencyOrder_OneAfterAnother_SkipsThoseHarborMustNotTouch()
    {
        var agent = await HostAsync(true,
            new Spec("db", false, "harbor.policy=auto"),
            new Spec("web", false, "harbor.policy=auto", "harbor.depends-on=app"),
            new Spec("app", false, "harbor.policy=auto", "com.centurylinklabs.watchtower.depends-on=db"),
            new Spec("cache", false, "harbor.policy=auto", "harbor.depends-on=db", "harbor.restart-on-dependency-update=false"),
            new Spec("report", false, "harbor.policy=notify", "harbor.depends-on=db"),
            new Spec("batch", false, "harbor.policy=auto", "harbor.depends-on=db") { State = ContainerState.Exited },
            new Spec("other", false, "harbor.policy=auto"));
        var update = await StartUpdateAsync(agent, "db");
        Assert.Equal(ControllerMessage.BodyOneofCase.UpdateCommand, (await NextCommandAsync(agent)).BodyCase);

        await FinishAsync(agent, update.Id);
        var first = await NextCommandAsync(agent);
        // app's restart is sent as soon as it is created, before web's is; the acknowledgement comes once the
        // controller has acted on the result, so after it the whole chain is recorded (CI once read it in between).
        Assert.Equal(ControllerMessage.BodyOneofCase.JobResultAck, (await agent.ReceiveAsync(TimeSpan.FromSeconds(15))).BodyCase);
        var waiting = await RestartsAsync(agent);

        Assert.Equal(ControllerMessage.BodyOneofCase.RestartCommand, first.BodyCase);
        Assert.Equal(IdOf(agent, "app"), first.RestartCommand.ContainerId);
        Assert.Equal($"dependency 'db' updated by job {update.Id}", first.RestartCommand.Reason);
        Assert.Equal(["app", "web"], waiting.Select(j => j.ContainerName));
        Assert.Equal(("sent", "pending"), (waiting[0].State, waiting[1].State));
        Assert.Equal((update.Id, waiting[0].Id, "dependency"), (waiting[1].CausedByJobId, waiting[1].AfterJobId, waiting[1].Trigger));
        Assert.Equal(update.RequestedBy, waiting[0].RequestedBy);

        // web goes only once app's restart has finished (a failed one included: the order is all it waits for).
        await FinishAsync(agent, first.RestartCommand.JobId, JobOutcome.Failed);
        var second = await NextCommandAsync(agent);
        await FinishAsync(agent, second.RestartCommand.JobId);
        await Eventually.TrueAsync(async () => (await RestartsAsync(agent)).All(j => j.State == "finished"), TimeSpan.FromSeconds(5), "both restarts are recorded");
        var done = await RestartsAsync(agent);
        var dbJob = await controller.GetJobAsync(update.Id);

        Assert.Equal(IdOf(agent, "web"), second.RestartCommand.ContainerId);
        Assert.Equal($"dependency 'app' restarted after 'db' was updated by job {update.Id}", second.RestartCommand.Reason);
        Assert.Equal([("app", "failed"), ("web", "succeeded")], done.Select(j => (j.ContainerName, j.Outcome)));
        Assert.Equal("succeeded", dbJob.Outcome);
        Assert.Equal(0, (await controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/jobs?host={agent.AgentId}&kind=rollback")).Total);
    }

    [Fact]
    public async Task ResultSentAgain_OrImageUnchanged_RestartsNothingTwice()
    {
        var agent = await HostAsync(true, new Spec("db", false, "harbor.policy=auto"), new Spec("app", false, "harbor.policy=auto", "harbor.depends-on=db"));
        var unchanged = await StartUpdateAsync(agent, "db");
        await NextCommandAsync(agent);
        await FinishAsync(agent, unchanged.Id, imageChanged: false);
        await controller.WaitForJobAsync(unchanged.Id, TimeSpan.FromSeconds(5));

        var update = await StartUpdateAsync(agent, "db");
        await NextCommandAsync(agent);
        await FinishAsync(agent, update.Id);
        var restart = await NextCommandAsync(agent);
        await FinishAsync(agent, update.Id);
        await FinishAsync(agent, restart.RestartCommand.JobId);
        await Eventually.TrueAsync(async () => (await RestartsAsync(agent)).All(j => j.State == "finished"), TimeSpan.FromSeconds(5), "the restart is recorded");

        var restarts = await RestartsAsync(agent);
        Assert.Equal(update.Id, Assert.Single(restarts).CausedByJobId);
    }

    [Fact]
    public async Task DependentWithItsOwnUpdate_IsUpdatedNotRestarted()
    {
        var agent = await HostAsync(true, new Spec("db", true, "harbor.policy=auto"), new Spec("app", true, "harbor.policy=auto", "harbor.depends-on=db"));
        using (var check = await controller.PostJsonAsync("/api/v1/checks", new { hostId = agent.AgentId }))
        {
            Assert.Equal(HttpStatusCode.Accepted, check.StatusCode);
            var run = (await check.Content.ReadFromJsonAsync<ApiCheckRun>(TestContext.Current.CancellationToken))!;
            await Eventually.GetAsync(() => controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status == "completed", TimeSpan.FromSeconds(30), "the check finishes");
        }

        await EvaluateAsync();
        var db = await NextCommandAsync(agent);
        Assert.Equal(IdOf(agent, "db"), db.UpdateCommand.ContainerId);
        // The same pass decides app after sending db's command; a real update never finishes before that.
        await Eventually.TrueAsync(async () => (await controller.GetJsonAsync<List<ApiAutomationDecision>>($"/api/v1/automation/decisions?host={agent.AgentId}"))
            .Any(d => d.ContainerName == "app" && d.Action == "wait"), TimeSpan.FromSeconds(5), "app waits for db");
        // As a real agent does: the inventory shows the new db container (not checked yet) before the result arrives.
        var replaced = FakeAgent.Container(new string('d', 64), "db");
        replaced.Labels["harbor.policy"] = "auto";
        await agent.SendDeltaAsync(2, [replaced], db.UpdateCommand.ContainerId);
        await Eventually.TrueAsync(async () => (await controller.GetContainersAsync("host=" + agent.AgentId)).Any(c => c.Id == replaced.Id),
            TimeSpan.FromSeconds(5), "the new db is in the inventory");
        await FinishAsync(agent, db.UpdateCommand.JobId);
        // The acknowledgement comes once the controller has acted on the result (restarts included): nothing else before it.
        Assert.Equal(ControllerMessage.BodyOneofCase.JobResultAck, (await agent.ReceiveAsync(TimeSpan.FromSeconds(15))).BodyCase);
        await EvaluateAsync();
        var next = await NextCommandAsync(agent);

        Assert.Equal(ControllerMessage.BodyOneofCase.UpdateCommand, next.BodyCase);
        Assert.Equal(IdOf(agent, "app"), next.UpdateCommand.ContainerId);
        Assert.Empty(await RestartsAsync(agent));
    }

    [Fact]
    public async Task AgentWithoutRestartCapability_GetsNoCommand_TheJobIsRefusedAndSaysWhy()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var agent = await HostAsync(false, new Spec("db", false, "harbor.policy=auto"), new Spec("app", false, "harbor.policy=approve", "harbor.depends-on=db"));
        await using var events = await SseReader.OpenAsync(controller.Api, $"/api/v1/events?types=job.finished&host={agent.AgentId}", null, cts.Token);
        var update = await StartUpdateAsync(agent, "db");
        await NextCommandAsync(agent);

        await FinishAsync(agent, update.Id);
        var restart = Assert.Single(await Eventually.GetAsync(() => RestartsAsync(agent), r => r.Count == 1 && r[0].State == "finished",
            TimeSpan.FromSeconds(5), "the restart job ends"));
        var finished = new List<string>();
        while (finished.Count < 2)
        {
            finished.Add((await events.NextAsync(cts.Token)).Data);
        }

        Assert.Equal(("refused", "agent_unsupported"), (restart.Outcome, restart.ReasonCode));
        Assert.Contains("cannot restart containers (no restart.v1)", restart.Reason, StringComparison.Ordinal);
        Assert.Contains("restart 'app' by hand", restart.Reason, StringComparison.Ordinal);
        Assert.Contains(finished, e => e.Contains("\"kind\":\"restart\"", StringComparison.Ordinal) && e.Contains("\"outcome\":\"refused\"", StringComparison.Ordinal));
        Assert.Null(restart.SentAt);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        await controller.DisposeAsync();
        await registry.DisposeAsync();
        data.Dispose();
    }
}
