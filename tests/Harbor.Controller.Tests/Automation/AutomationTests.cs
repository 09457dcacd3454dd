using System.Globalization;
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
/// The automation engine end to end inside the controller: real registry (so checks find real new
/// digests), real SQLite, real gRPC to scripted agents, a fake clock for windows, minimum age and expiry.
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class AutomationTests : IAsyncLifetime
{
    // 02:59:30 UTC yesterday: the window "0 3 * * * / 1h" opens in 30 s. In the past, because the agents'
    // TLS certificates are issued on the controller's (fake) clock and checked against the real one.
    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1).Add(new TimeSpan(2, 59, 30));
    private readonly TempDirectory data = new("automation");
    private readonly FakeTimeProvider clock = new(Start);
    private readonly List<FakeAgent> agents = [];
    private RegistryServer registry = null!;
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        registry = await RegistryServer.StartAsync();
        controller = await ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
        {
            // The fake clock moves by minutes: agents must not be declared silent, jobs must not expire meanwhile.
            ["Harbor:Controller:Agents:HeartbeatInterval"] = "00:10:00",
            ["Harbor:Controller:Agents:OfflineAfter"] = "01:00:00",
            ["Harbor:Controller:Updates:CommandTimeout"] = "1.00:00:00",
            ["Harbor:Controller:Automation:EvaluateInterval"] = "00:05:00",
            ["Harbor:Controller:Automation:ApprovalExpiry"] = "00:10:00",
            // Hosts in no group (most tests) come last; empty groups pass at once, so they are not held up.
            ["Harbor:Controller:Automation:Rollout:Groups:0"] = "canary",
            ["Harbor:Controller:Automation:Rollout:Groups:1"] = "prod",
            ["Harbor:Controller:Automation:Rollout:SoakTime"] = "00:10:00",
        });
    }

    private sealed record Spec(string Name, params string[] Labels)
    {
        /// <summary>Set to share one image (and so one rollout) across hosts.</summary>
        public string? Repository { get; init; }
    }

    private readonly Dictionary<string, (string Old, string New)> pushed = [];

    private Task<(FakeAgent Agent, Dictionary<string, string> NewDigests)> HostWithUpdatesAsync(params Spec[] specs) => HostWithUpdatesAsync(null, specs);

    /// <summary>A host (in a group, if given) whose containers run v1 of their repository while the registry already has v2; checked.</summary>
    private async Task<(FakeAgent Agent, Dictionary<string, string> NewDigests)> HostWithUpdatesAsync(string? group, params Spec[] specs)
    {
        var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        agents.Add(agent);
        var hello = FakeAgent.Hello(agent.AgentId);
        hello.Capabilities.Add("updates.v1");
        await agent.SendAsync(new AgentMessage { Hello = hello });
        Assert.Equal(ControllerMessage.BodyOneofCase.Welcome, (await agent.ReceiveAsync()).BodyCase);
        if (group is not null)
        {
            await Eventually.TrueAsync(async () => (await controller.GetHostsAsync()).Any(h => h.Id == agent.AgentId), TimeSpan.FromSeconds(5), "the host is stored");
            using var put = await controller.PutJsonAsync($"/api/v1/hosts/{agent.AgentId}/group", new { group });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var digests = new Dictionary<string, string>();
        var containers = new List<Container>();
        foreach (var spec in specs)
        {
            var repository = spec.Repository ?? $"{agent.AgentId}/{spec.Name}";
            if (!pushed.TryGetValue(repository, out var versions))
            {
                var v1 = await registry.Uploader.PushImageAsync(repository, "1", repository + "-1");
                var v2 = await registry.Uploader.PushImageAsync(repository, "1", repository + "-2");
                pushed[repository] = versions = (v1.Digest, v2.Digest);
            }

            digests[spec.Name] = versions.New;
            var container = FakeAgent.Container(IdOf(agent, spec.Name), spec.Name);
            container.Image = $"{registry.Host}/{repository}:1";
            container.RepoDigests.Add($"{registry.Host}/{repository}@{versions.Old}");
            foreach (var label in spec.Labels)
            {
                var (key, value) = (label[..label.IndexOf('=', StringComparison.Ordinal)], label[(label.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                container.Labels[key] = value;
            }

            containers.Add(container);
        }

        await agent.SendSnapshotAsync(1, [.. containers]);
        await controller.WaitForContainersAsync(agent.AgentId, specs.Length);
        await CheckAsync(agent.AgentId);
        return (agent, digests);
    }

    private static string IdOf(FakeAgent agent, string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agent.AgentId + name)));

    private async Task<ApiCheckRun> CheckAsync(string hostId)
    {
        using var response = await controller.PostJsonAsync("/api/v1/checks", new { hostId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<ApiCheckRun>())!;
        return await Eventually.GetAsync(() => controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status is "completed" or "failed",
            TimeSpan.FromSeconds(30), "the check finishes");
    }

    private async Task<List<ApiAutomationDecision>> EvaluateAsync()
    {
        using var response = await controller.PostJsonAsync("/api/v1/automation/evaluate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<ApiAutomationDecision>>())!;
    }

    private async Task<ApiAutomationDecision> DecisionAsync(FakeAgent agent, string name) =>
        (await controller.GetJsonAsync<List<ApiAutomationDecision>>($"/api/v1/automation/decisions?host={agent.AgentId}")).Single(d => d.ContainerName == name);

    private Task<List<ApiApproval>> ApprovalsAsync(string query = "") => controller.GetJsonAsync<List<ApiApproval>>("/api/v1/approvals" + query);

    /// <summary>Moves the fake clock and lets each agent speak, so none looks silent at the new time.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        clock.Advance(by);
        foreach (var agent in agents)
        {
            await agent.SendHeartbeatAsync();
        }

        await Task.Delay(200);
    }

    private static async Task<UpdateCommand> ExpectUpdateAsync(FakeAgent agent)
    {
        var message = await agent.ReceiveAsync();
        Assert.Equal(ControllerMessage.BodyOneofCase.UpdateCommand, message.BodyCase);
        return message.UpdateCommand;
    }

    /// <summary>
    /// Asserts how many jobs the host has (a receive with a timeout would cancel the fake agent's whole
    /// stream, so "nothing was sent" is checked where the controller records every job before sending it).
    /// </summary>
    private async Task ExpectJobsAsync(FakeAgent agent, int count)
    {
        await Task.Delay(300);
        Assert.Equal(count, (await controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/jobs?host={agent.AgentId}")).Total);
    }

    private static JobResult Succeeded(string jobId, string digest) => new()
    {
        JobId = jobId,
        Outcome = JobOutcome.Succeeded,
        ToDigest = digest,
        StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)),
        FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
    };

    [Fact]
    public async Task Approve_CreatesAPendingApproval_ApprovingRunsTheDigestPinnedJob()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=approval.*,job.created", null, cts.Token);
        var (agent, digests) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=approve"));

        await EvaluateAsync();
        await EvaluateAsync();

        var pending = Assert.Single(await ApprovalsAsync($"?state=pending&host={agent.AgentId}"));
        Assert.Equal(("web", digests["web"]), (pending.ContainerName, pending.TargetDigest));
        Assert.Equal(Start.AddMinutes(10), pending.ExpiresAt);
        await ExpectJobsAsync(agent, 0);

        using var approve = await controller.PostJsonAsync($"/api/v1/approvals/{pending.Id}/approve", new { comment = "looks good" });
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var approved = (await approve.Content.ReadFromJsonAsync<ApiApproval>(TestContext.Current.CancellationToken))!;
        var command = await ExpectUpdateAsync(agent);
        var job = await controller.GetJobAsync(approved.JobId!);

        Assert.Equal(("approved", "api-key:test bootstrap admin", "looks good"), (approved.State, approved.DecidedBy, approved.Comment));
        Assert.Equal($"{registry.Host}/{agent.AgentId}/web@{digests["web"]}", command.TargetImage);
        Assert.Equal((command.JobId, "approval", "update"), (job.Id, job.Trigger, job.Kind));
        Assert.Equal("approval.created", (await events.NextAsync(cts.Token)).Event);
        Assert.Equal("job.created", (await events.NextAsync(cts.Token)).Event);
        var approvedEvent = await events.NextAsync(cts.Token);
        Assert.Equal("approval.approved", approvedEvent.Event);
        Assert.Contains(approved.JobId!, approvedEvent.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalApi_BadInput_IsProblemJson()
    {
        var (agent, _) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=approve"));
        await EvaluateAsync();
        var pending = Assert.Single(await ApprovalsAsync($"?host={agent.AgentId}"));
        using (var reject = await controller.PostJsonAsync($"/api/v1/approvals/{pending.Id}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        }

        using var unknown = await controller.PostJsonAsync("/api/v1/approvals/nope/approve");
        using var again = await controller.PostJsonAsync($"/api/v1/approvals/{pending.Id}/approve");
        using var badState = await controller.Api.GetAsync("/api/v1/approvals?state=maybe", TestContext.Current.CancellationToken);
        using var tooLong = await controller.PostJsonAsync($"/api/v1/approvals/{pending.Id}/reject", new { comment = new string('x', 1001) });

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.StatusCode, unknown.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (again.StatusCode, again.Content.Headers.ContentType?.MediaType));
        Assert.Contains("is rejected (by api-key:test bootstrap admin)", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Contains("pending, approved, rejected, expired", await badState.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        await ExpectJobsAsync(agent, 0);
    }

    [Fact]
    public async Task Approval_RejectedOrExpired_IsNotAskedAgainAndRunsNothing()
    {
        var (agent, _) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=approve"), new Spec("api", "harbor.policy=approve"));
        await EvaluateAsync();
        var web = (await ApprovalsAsync($"?host={agent.AgentId}")).Single(a => a.ContainerName == "web");
        using (var reject = await controller.PostJsonAsync($"/api/v1/approvals/{web.Id}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        }

        await AdvanceAsync(TimeSpan.FromMinutes(11));
        await EvaluateAsync();
        await CheckAsync(agent.AgentId);
        await EvaluateAsync();

        var all = await ApprovalsAsync($"?host={agent.AgentId}");
        Assert.Equal([("api", "expired"), ("web", "rejected")], all.Select(a => (a.ContainerName, a.State)).OrderBy(a => a.ContainerName));
        var api = all.Single(a => a.ContainerName == "api");
        using var late = await controller.PostJsonAsync($"/api/v1/approvals/{api.Id}/approve");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        await ExpectJobsAsync(agent, 0);
    }

    [Fact]
    public async Task Auto_OutsideTheWindow_WaitsAndSaysSo_ThenUpdatesWhenItOpens()
    {
        var (agent, digests) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=auto", "harbor.window=0 3 * * * / 1h"));

        await EvaluateAsync();
        var waiting = await DecisionAsync(agent, "web");
        await ExpectJobsAsync(agent, 0);

        await AdvanceAsync(TimeSpan.FromMinutes(1));
        await EvaluateAsync();
        var command = await ExpectUpdateAsync(agent);
        var started = await DecisionAsync(agent, "web");

        Assert.Equal(("wait", Start.AddSeconds(30)), (waiting.Action, waiting.NotBefore));
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"Outside the maintenance window '0 3 * * * / 1h'; it opens at {Start.AddSeconds(30):yyyy-MM-dd HH:mm} UTC"),
            waiting.Reason,
            StringComparison.Ordinal);
        Assert.Equal(("update", command.JobId), (started.Action, started.JobId));
        Assert.EndsWith("@" + digests["web"], command.TargetImage, StringComparison.Ordinal);
        var job = await controller.GetJobAsync(command.JobId);
        Assert.Equal(("policy", "automation"), (job.Trigger, job.RequestedBy));
    }

    [Fact]
    public async Task Auto_MinimumAge_CountsFromTheFirstSightingAcrossCheckRuns()
    {
        var (agent, _) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=auto", "harbor.min-age=10m"));
        await EvaluateAsync();
        var first = await DecisionAsync(agent, "web");

        await AdvanceAsync(TimeSpan.FromMinutes(6));
        await CheckAsync(agent.AgentId);
        await EvaluateAsync();
        var later = await DecisionAsync(agent, "web");
        await ExpectJobsAsync(agent, 0);

        await AdvanceAsync(TimeSpan.FromMinutes(5));
        await EvaluateAsync();
        await ExpectUpdateAsync(agent);

        Assert.Equal(("wait", Start.AddMinutes(10)), (first.Action, first.NotBefore));
        Assert.Contains("Minimum age", first.Reason, StringComparison.Ordinal);
        Assert.Equal(("wait", first.NotBefore), (later.Action, later.NotBefore));
    }

    [Fact]
    public async Task Auto_OneJobPerHostAtATime_TheNextStartsWhenTheFirstFinishes()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=job.*", null, cts.Token);
        var (agent, digests) = await HostWithUpdatesAsync(new Spec("a", "harbor.policy=auto"), new Spec("b", "harbor.policy=auto"));
        var (other, _) = await HostWithUpdatesAsync(new Spec("c", "harbor.policy=auto"));

        await EvaluateAsync();
        var first = await ExpectUpdateAsync(agent);
        await ExpectUpdateAsync(other);
        await ExpectJobsAsync(agent, 1);
        var queued = (await controller.GetJsonAsync<List<ApiAutomationDecision>>($"/api/v1/automation/decisions?host={agent.AgentId}&action=wait")).Single();
        Assert.Contains("already runs 1 job(s) (limit 1 at a time)", queued.Reason, StringComparison.Ordinal);

        // The finished job triggers a pass by itself (job.finished), which starts the second container.
        await agent.SendAsync(new AgentMessage { JobResult = Succeeded(first.JobId, digests[first.ContainerId == IdOf(agent, "a") ? "a" : "b"]) });
        // The ack and the next command race (job.finished starts the pass before the ack is written): the agent needs both, in any order.
        ControllerMessage[] replies = [await agent.ReceiveAsync(), await agent.ReceiveAsync()];
        Assert.Single(replies, m => m.BodyCase == ControllerMessage.BodyOneofCase.JobResultAck);
        var second = Assert.Single(replies, m => m.BodyCase == ControllerMessage.BodyOneofCase.UpdateCommand).UpdateCommand;

        Assert.NotEqual(first.ContainerId, second.ContainerId);
        Assert.Equal(queued.ContainerId, second.ContainerId);
        var seen = new List<SseReader.Item>();
        while (seen.Count(e => e.Event == "job.created") < 3)
        {
            seen.Add(await events.NextAsync(cts.Token));
        }

        var finished = Assert.Single(seen, e => e.Event == "job.finished");
        Assert.Contains($"\"jobId\":\"{first.JobId}\"", finished.Data, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"succeeded\"", finished.Data, StringComparison.Ordinal);
        Assert.Contains("\"trigger\":\"policy\"", finished.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_PublishesUpdateAvailableOncePerDigest_AndTouchesNothing()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=update.available,check.completed,container.update-status", null, cts.Token);
        var (agent, digests) = await HostWithUpdatesAsync(new Spec("web"), new Spec("skip", "harbor.policy=ignore"));

        await EvaluateAsync();
        await CheckAsync(agent.AgentId);
        await EvaluateAsync();

        var seen = new List<SseReader.Item>();
        while (seen.Count(e => e.Event == "check.completed") < 2)
        {
            seen.Add(await events.NextAsync(cts.Token));
        }

        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        quiet.CancelAfter(TimeSpan.FromMilliseconds(700));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.NextAsync(quiet.Token));

        var available = Assert.Single(seen, e => e.Event == "update.available");
        Assert.Contains("\"containerName\":\"web\"", available.Data, StringComparison.Ordinal);
        Assert.Contains("\"notifyOnly\":true", available.Data, StringComparison.Ordinal);
        Assert.Contains(digests["web"], available.Data, StringComparison.Ordinal);
        Assert.Equal(2, seen.Count(e => e.Event == "container.update-status"));
        Assert.Contains("\"updateAvailable\":2", seen.First(e => e.Event == "check.completed").Data, StringComparison.Ordinal);
        Assert.Equal("notify", (await DecisionAsync(agent, "web")).Action);
        Assert.Equal("none", (await DecisionAsync(agent, "skip")).Action);
        await ExpectJobsAsync(agent, 0);
    }

    [Fact]
    public async Task Dependencies_UpdateDependencyFirst_CycleIsAnErrorAndNothingInItUpdates()
    {
        var (agent, _) = await HostWithUpdatesAsync(
            new Spec("app", "harbor.policy=auto", "harbor.depends-on=db"),
            new Spec("db", "harbor.policy=auto"),
            new Spec("x", "harbor.policy=auto", "harbor.depends-on=y"),
            new Spec("y", "harbor.policy=auto", "com.centurylinklabs.watchtower.depends-on=x"));

        await EvaluateAsync();
        var command = await ExpectUpdateAsync(agent);
        var decisions = (await controller.GetJsonAsync<List<ApiAutomationDecision>>($"/api/v1/automation/decisions?host={agent.AgentId}"))
            .ToDictionary(d => d.ContainerName);

        Assert.Equal(IdOf(agent, "db"), command.ContainerId);
        Assert.Equal(("wait", "Waits for its dependency 'db' to be updated first."), (decisions["app"].Action, decisions["app"].Reason));
        Assert.Equal(("error", "error"), (decisions["x"].Action, decisions["y"].Action));
        Assert.Contains("Dependency cycle", decisions["x"].Reason, StringComparison.Ordinal);
        Assert.Contains("Nothing in the cycle is updated", decisions["y"].Reason, StringComparison.Ordinal);
        await ExpectJobsAsync(agent, 1);
    }

    /// <summary>The canary host's job is reported as <paramref name="outcome"/>; on success the agent replaces the container, as a real one does.</summary>
    private async Task FinishAsync(FakeAgent agent, UpdateCommand command, JobOutcome outcome, string digest)
    {
        var result = Succeeded(command.JobId, digest);
        result.Outcome = outcome;
        result.ReasonCode = outcome == JobOutcome.Succeeded ? "" : "unhealthy";
        result.Reason = outcome == JobOutcome.Succeeded ? "" : "The new container became unhealthy.";
        await agent.SendAsync(new AgentMessage { JobResult = result });
        Assert.Equal(ControllerMessage.BodyOneofCase.JobResultAck, (await agent.ReceiveAsync()).BodyCase);
        if (outcome == JobOutcome.Succeeded)
        {
            var replaced = FakeAgent.Container(new string('f', 64), "web");
            replaced.Image = (await controller.GetContainersAsync("host=" + agent.AgentId)).Single().Image;
            await agent.SendDeltaAsync(2, [replaced], command.ContainerId);
            await Eventually.TrueAsync(async () => (await controller.GetContainersAsync("host=" + agent.AgentId)).Single().Id == replaced.Id,
                TimeSpan.FromSeconds(5), "the replacement is in the inventory");
        }

        await Eventually.TrueAsync(async () => (await controller.GetJobAsync(command.JobId)).State == "finished", TimeSpan.FromSeconds(5), "the result is recorded");
    }

    private Task<List<ApiRollout>> RolloutsAsync(string query = "") => controller.GetJsonAsync<List<ApiRollout>>("/api/v1/rollouts" + query);

    [Fact]
    public async Task Rollout_HealthyCanary_SoaksThenTheNextGroupUpdates()
    {
        var repository = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var (canary, digests) = await HostWithUpdatesAsync("canary", new Spec("web", "harbor.policy=auto") { Repository = repository });
        var (prod, _) = await HostWithUpdatesAsync("prod", new Spec("web", "harbor.policy=auto") { Repository = repository });

        await EvaluateAsync();
        var canaryJob = await ExpectUpdateAsync(canary);
        var prodWaiting = await DecisionAsync(prod, "web");
        await FinishAsync(canary, canaryJob, JobOutcome.Succeeded, digests["web"]);
        await EvaluateAsync();
        var soaking = (await RolloutsAsync()).Single(r => r.Reference.EndsWith(repository + ":1", StringComparison.Ordinal));
        var prodSoakWait = await DecisionAsync(prod, "web");
        await ExpectJobsAsync(prod, 0);

        await AdvanceAsync(TimeSpan.FromMinutes(10));
        await EvaluateAsync();
        var prodJob = await ExpectUpdateAsync(prod);

        Assert.Equal("wait", prodWaiting.Action);
        Assert.Contains("waits until group 'canary' has updated", prodWaiting.Reason, StringComparison.Ordinal);
        Assert.Equal(("soaking", 0, Start.AddMinutes(10)), (soaking.State, soaking.Stage, soaking.SoakUntil));
        Assert.Contains("soaks until", prodSoakWait.Reason, StringComparison.Ordinal);
        Assert.EndsWith("@" + digests["web"], prodJob.TargetImage, StringComparison.Ordinal);
        var active = (await RolloutsAsync()).Single(r => r.Id == soaking.Id);
        Assert.Equal(("active", 1, "group 'prod'"), (active.State, active.Stage, active.StageName));
        Assert.Equal(2, active.Jobs.Count);
    }

    [Fact]
    public async Task Rollout_FailingCanary_HaltsAndTheNextGroupIsNeverUpdated()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=rollout.*", null, cts.Token);
        var repository = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var (canary, digests) = await HostWithUpdatesAsync("canary", new Spec("web", "harbor.policy=auto") { Repository = repository });
        var (prod, _) = await HostWithUpdatesAsync("prod", new Spec("web", "harbor.policy=auto") { Repository = repository });

        await EvaluateAsync();
        var canaryJob = await ExpectUpdateAsync(canary);
        await FinishAsync(canary, canaryJob, JobOutcome.RolledBack, digests["web"]);
        await EvaluateAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(30));
        await EvaluateAsync();

        var halted = Assert.Single(await RolloutsAsync("?state=halted"));
        var halt = await events.NextAsync(cts.Token);
        var prodDecision = await DecisionAsync(prod, "web");
        Assert.Equal((canaryJob.JobId, 0), (halted.HaltedJobId, halted.Stage));
        Assert.Contains($"job {canaryJob.JobId} for 'web' on host '{canary.AgentId}' ended rolled_back: The new container became unhealthy.", halted.HaltedReason, StringComparison.Ordinal);
        Assert.Equal("rollout.halted", halt.Event);
        Assert.Equal("blocked", prodDecision.Action);
        Assert.Contains("staged rollout of this digest halted", prodDecision.Reason, StringComparison.Ordinal);
        await ExpectJobsAsync(prod, 0);
        using var bad = await controller.Api.GetAsync("/api/v1/rollouts?state=paused", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task CheckCompleted_TriggersAPassWithoutBeingAsked()
    {
        var (agent, _) = await HostWithUpdatesAsync(new Spec("web", "harbor.policy=auto"));

        var command = await ExpectUpdateAsync(agent);

        Assert.Equal(IdOf(agent, "web"), command.ContainerId);
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
