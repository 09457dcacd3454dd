using System.Net;
using System.Net.Http.Json;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Data;
using Harbor.Controller.Tests.Agents;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Updates;

/// <summary>
/// The controller's side of update jobs, driven by scripted agents over real gRPC with a real SQLite
/// file: jobs persisted before they are sent, sent only to the owning host, reports accepted only from
/// that host, results idempotent, jobs surviving a controller restart, digests blocked after a failure.
/// </summary>
public sealed class UpdateJobTests : IAsyncLifetime
{
    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string ImageId1 = "sha256:aaaa111111111111111111111111111111111111111111111111111111111111";
    private const string ImageId2 = "sha256:aaaa222222222222222222222222222222222222222222222222222222222222";
    private static readonly string ContainerId = new('c', 64);
    private readonly TempDirectory data = new("updates");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly List<FakeAgent> agents = [];
    private readonly Dictionary<string, TestAgentCredential> credentials = [];
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await StartControllerAsync();

    private Task<ControllerHost> StartControllerAsync(int agentHubPort = 0) => ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
    {
        ["Harbor:Controller:Agents:HeartbeatInterval"] = "00:00:10",
        ["Harbor:Controller:Agents:OfflineAfter"] = "00:00:30",
        ["Harbor:Controller:Updates:CommandTimeout"] = "00:10:00",
        ["Harbor:Features:enable_blue_green"] = "true",
    }, agentHubPort);

    /// <summary>A scripted agent that can update, with one container running registry.local/app:1.</summary>
    private async Task<FakeAgent> ConnectAgentAsync(string? agentId = null, bool canUpdate = true, string imageId = ImageId1, bool blueGreen = false, bool canRestart = false)
    {
        agentId ??= FakeAgent.NewAgentId();
        if (!credentials.TryGetValue(agentId, out var credential))
        {
            // Enrolled once; a reconnect (also after a controller restart) presents the same certificate.
            credential = credentials[agentId] = await controller.EnrollAgentAsync(agentId);
        }

        var agent = FakeAgent.Open(controller.AgentHubAddress, credential);
        agents.Add(agent);
        var hello = FakeAgent.Hello(agent.AgentId);
        if (canUpdate)
        {
            hello.Capabilities.Add("updates.v1");
        }

        if (blueGreen)
        {
            hello.Capabilities.Add("updates.blue-green.v1");
        }

        if (canRestart)
        {
            hello.Capabilities.Add("restart.v1");
        }

        await agent.SendAsync(new AgentMessage { Hello = hello });
        Assert.Equal(ControllerMessage.BodyOneofCase.Welcome, (await agent.ReceiveAsync()).BodyCase);
        var container = FakeAgent.Container(ContainerId, "web");
        container.ImageId = imageId;
        await agent.SendSnapshotAsync(1, container);
        await Eventually.GetAsync(
            () => controller.GetContainersAsync("host=" + agent.AgentId),
            list => list.Any(c => c.Name == "web" && c.ImageId == imageId),
            TimeSpan.FromSeconds(5),
            "the snapshot is stored");
        return agent;
    }

    private async Task<HttpResponseMessage> PostUpdateAsync(string hostId, object? body, string container = "web") =>
        await controller.PostJsonAsync($"/api/v1/containers/{hostId}/{container}/update", body);

    private async Task<ApiJob> StartUpdateAsync(FakeAgent agent, string digest = Digest2)
    {
        using var response = await PostUpdateAsync(agent.AgentId, new { targetDigest = digest });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ApiJob>())!;
    }

    private static JobResult Result(string jobId, JobOutcome outcome, string reasonCode = "", string toDigest = Digest2) => new()
    {
        JobId = jobId,
        Outcome = outcome,
        ReasonCode = reasonCode,
        Reason = reasonCode.Length == 0 ? "" : "The new container exited with code 3.",
        FromImageId = ImageId1,
        FromDigest = Digest1,
        ToImageId = ImageId2,
        ToDigest = toDigest,
        ContainerId = new string('d', 64),
        ContainerName = "web",
        StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-4)),
        FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Steps =
        {
            new JobStepTiming { Step = JobStep.Pull, StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-4)), FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-3)), Message = "pulled 2 layer(s)" },
            new JobStepTiming { Step = JobStep.Verify, StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)), FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Message = "kept running for 2 s" },
        },
    };

    private static async Task<ControllerMessage> ExpectAsync(FakeAgent agent, ControllerMessage.BodyOneofCase kind)
    {
        var message = await agent.ReceiveAsync();
        Assert.Equal(kind, message.BodyCase);
        return message;
    }

    [Fact]
    public async Task Update_IsPersistedAndSentOnlyToTheAgentThatOwnsTheContainer()
    {
        var owner = await ConnectAgentAsync();
        var bystander = await ConnectAgentAsync();

        var job = await StartUpdateAsync(owner);

        var command = (await ExpectAsync(owner, ControllerMessage.BodyOneofCase.UpdateCommand)).UpdateCommand;
        Assert.Equal((job.Id, ContainerId, $"registry.local/app@{Digest2}", "registry.local/app:1", false),
            (command.JobId, command.ContainerId, command.TargetImage, command.TargetTag, command.RollbackToPrevious));
        await Assert.ThrowsAnyAsync<Exception>(() => bystander.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        var stored = await controller.GetJobAsync(job.Id);
        Assert.Equal(("sent", "update", "api-key:test bootstrap admin", ImageId1), (stored.State, stored.Kind, stored.RequestedBy, stored.FromImageId));
    }

    [Fact]
    public async Task Reports_FromAnotherHostsStream_DoNotTouchTheJob()
    {
        var owner = await ConnectAgentAsync();
        var intruder = await ConnectAgentAsync();
        var job = await StartUpdateAsync(owner);

        await intruder.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 1, Step = JobStep.StopOld, Message = "forged" } });
        await intruder.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Failed, "forged") });
        await ExpectAsync(intruder, ControllerMessage.BodyOneofCase.JobResultAck);

        var untouched = await controller.GetJobAsync(job.Id);
        Assert.Equal(("sent", null, null), (untouched.State, untouched.Outcome, untouched.CurrentStep));
        Assert.Empty(untouched.Events!);

        await owner.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        await ExpectAsync(owner, ControllerMessage.BodyOneofCase.UpdateCommand);
        await ExpectAsync(owner, ControllerMessage.BodyOneofCase.JobResultAck);
        Assert.Equal("succeeded", (await controller.GetJobAsync(job.Id)).Outcome);
    }

    [Fact]
    public async Task Result_IsAcknowledgedAndRecordedOnce_EvenWhenSentAgain()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);
        var before = await MetricAsync("harbor_update_jobs_total{outcome=\"succeeded\"}");

        await agent.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        Assert.Equal(job.Id, (await ExpectAsync(agent, ControllerMessage.BodyOneofCase.JobResultAck)).JobResultAck.JobId);
        var first = await controller.GetJobAsync(job.Id);
        var resent = Result(job.Id, JobOutcome.Failed, "exited");
        await agent.SendAsync(new AgentMessage { JobResult = resent });
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.JobResultAck);

        var after = await controller.GetJobAsync(job.Id);
        Assert.Equal(("finished", "succeeded", first.FinishedAt), (after.State, after.Outcome, after.FinishedAt));
        Assert.Equal(before + 1, await MetricAsync("harbor_update_jobs_total{outcome=\"succeeded\"}"));
        Assert.Equal(["pull", "verify"], after.Steps.Select(s => s.Step));
        Assert.InRange(after.StepNamed("pull")!.DurationMs!.Value, 950, 1050);
        Assert.Equal((Digest1, Digest2, ImageId2), (after.FromDigest, after.ToDigest, after.ToImageId));
        Assert.True(after.DurationMs is > 3000 and < 6000, $"duration {after.DurationMs}");
    }

    [Fact]
    public async Task Events_MoveTheJobAlong_StepsAreLoggedAndPullProgressOnlyUpdatesTheJob_BothPublishedLive()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var stream = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=job.step,job.progress", null, cts.Token);
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);

        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 1, Step = JobStep.Accepted, Message = "accepted", At = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) } });
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 2, Step = JobStep.Pull, Message = "pulling 2 layer(s)", Progress = 0.5 } });
        await agent.SendAsync(new AgentMessage { Heartbeat = new Heartbeat() });

        var running = await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.CurrentStep == "pull", TimeSpan.FromSeconds(5), "progress recorded");
        Assert.Equal("running", running.State);
        Assert.Equal(["accepted"], running.Events!.Select(e => e.Step));

        // A live page reloads on these: the step is a job.step, the pull progress a job.progress, in order.
        var step = await stream.NextAsync(cts.Token);
        var progress = await stream.NextAsync(cts.Token);
        Assert.Equal(("job.step", "job.progress"), (step.Event, progress.Event));
        Assert.Contains($"\"jobId\":\"{job.Id}\"", step.Data, StringComparison.Ordinal);
        Assert.Contains("\"step\":\"accepted\"", step.Data, StringComparison.Ordinal);
        Assert.Contains("\"step\":\"pull\"", progress.Data, StringComparison.Ordinal);
        Assert.Contains("\"progress\":0.5", progress.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_VerificationPlan_IsStoredOnTheControllersClock_ReturnedByTheApi_AndPublishedLive()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var stream = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=job.step", null, cts.Token);
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);

        // The agent's clock is an hour behind, and it sent the plan 2 s after the phase began: the controller
        // counts from its own clock minus those 2 s, so the skew does not move the deadline.
        var agentNow = clock.GetUtcNow().AddHours(-1);
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 1, Step = JobStep.Verify, Message = "verify", At = Timestamp.FromDateTimeOffset(agentNow) } });
        await agent.SendAsync(new AgentMessage
        {
            JobEvent = new JobEvent
            {
                JobId = job.Id, Sequence = 2, Step = JobStep.Verify, Message = "the container must keep running for 20 s",
                At = Timestamp.FromDateTimeOffset(agentNow.AddSeconds(2)),
                Verification = new VerificationPlan { Kind = VerificationKind.Stability, WindowMs = 20_000, StartedAt = Timestamp.FromDateTimeOffset(agentNow) },
            },
        });

        var stable = await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.Verification is not null, TimeSpan.FromSeconds(5), "the plan is stored");
        var expectedStart = clock.GetUtcNow().AddSeconds(-2);
        Assert.Equal(new ApiVerificationPlan("stability", 20_000, expectedStart, expectedStart.AddSeconds(20), null), stable.Verification);
        Assert.Equal("verify", stable.CurrentStep);
        var published = await NextJobStepAsync(stream, "\"verification\":{", cts.Token);
        Assert.Contains("\"kind\":\"stability\",\"windowMs\":20000", published.Data, StringComparison.Ordinal);

        // A plan that makes no sense (a negative window, or on another step) changes nothing; the probe phase replaces the window.
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 3, Step = JobStep.Verify, Message = "odd", Verification = new VerificationPlan { Kind = VerificationKind.Healthcheck, WindowMs = -5 } } });
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 4, Step = JobStep.StartNew, Message = "odd", Verification = new VerificationPlan { Kind = VerificationKind.Healthcheck, WindowMs = 5 } } });
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 5, Step = JobStep.Verify, Message = "probing", Verification = new VerificationPlan { Kind = VerificationKind.HttpProbe, WindowMs = 7_000, Url = "http://10.0.0.5/health" } } });
        var probing = await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.Verification?.Kind != "stability", TimeSpan.FromSeconds(5), "the probe phase is stored");
        Assert.Equal(new ApiVerificationPlan("http_probe", 7_000, clock.GetUtcNow(), clock.GetUtcNow().AddSeconds(7), "http://10.0.0.5/health"), probing.Verification);
        Assert.Equal(5, probing.Events!.Count);

        // The job's last phase stays on it once it has finished.
        await agent.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.JobResultAck);
        var finished = await controller.GetJobAsync(job.Id);
        Assert.Equal("succeeded", finished.Outcome);
        Assert.Equal("http_probe", finished.Verification?.Kind);
    }

    private static async Task<SseReader.Item> NextJobStepAsync(SseReader stream, string containing, CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await stream.NextAsync(cancellationToken);
            if (item.Event == "job.step" && item.Data.Contains(containing, StringComparison.Ordinal))
            {
                return item;
            }
        }
    }

    [Fact]
    public async Task RolledBackBecauseTheNewImageFailed_BlocksThatDigestOnThatContainerUntilCleared()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);
        var rollbacksBefore = await MetricAsync("harbor_update_rollbacks_total{reason=\"exited\"}");

        await agent.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.RolledBack, "exited") });
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.JobResultAck);

        Assert.Equal(("rolled_back", "exited"), ((await controller.GetJobAsync(job.Id)).Outcome, (await controller.GetJobAsync(job.Id)).RollbackReason));
        Assert.Equal(rollbacksBefore + 1, await MetricAsync("harbor_update_rollbacks_total{reason=\"exited\"}"));
        using (var blocked = await PostUpdateAsync(agent.AgentId, new { targetDigest = Digest2 }))
        {
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            Assert.Contains("blocked", await blocked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var clear = await controller.Api.DeleteAsync($"/api/v1/containers/{agent.AgentId}/web/blocked-digests/{Digest2}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        Assert.Empty(await controller.GetJsonAsync<List<ApiBlockedDigest>>($"/api/v1/containers/{agent.AgentId}/web/blocked-digests"));
        await StartUpdateAsync(agent);
    }

    [Fact]
    public async Task ControllerRestart_JobTheAgentNeverTookIsSentAgain_AndItsResultIsRecorded()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);

        await controller.DisposeAsync();
        controller = await StartControllerAsync();
        var reconnected = await ConnectAgentAsync(agent.AgentId);

        var again = (await ExpectAsync(reconnected, ControllerMessage.BodyOneofCase.UpdateCommand)).UpdateCommand;
        Assert.Equal(job.Id, again.JobId);
        await reconnected.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        await ExpectAsync(reconnected, ControllerMessage.BodyOneofCase.JobResultAck);
        Assert.Equal("succeeded", (await controller.GetJobAsync(job.Id)).Outcome);
    }

    [Fact]
    public async Task ControllerRestart_JobTheAgentTook_IsNotSentAgain_TheAgentsResultEndsIt()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);
        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = job.Id, Sequence = 1, Step = JobStep.Accepted, Message = "accepted" } });
        await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.State == "running", TimeSpan.FromSeconds(5), "accepted");

        await controller.DisposeAsync();
        controller = await StartControllerAsync();
        var reconnected = await ConnectAgentAsync(agent.AgentId);
        // What a real agent does after a reconnect: send results the controller has not acknowledged.
        await reconnected.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });

        Assert.Equal(ControllerMessage.BodyOneofCase.JobResultAck, (await reconnected.ReceiveAsync()).BodyCase);
        Assert.Equal("succeeded", (await controller.GetJobAsync(job.Id)).Outcome);
    }

    [Fact]
    public async Task JobNoAgentTook_ExpiresAfterTheCommandTimeout_ButALateResultStillWins()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);

        clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.State == "finished", TimeSpan.FromSeconds(5), "expired");

        Assert.Equal(("failed", "expired"), (expired.Outcome, expired.ReasonCode));
        // Eleven silent minutes also ended the agent's stream; it reconnects and reports what really happened.
        var reconnected = await ConnectAgentAsync(agent.AgentId);
        await reconnected.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        await Eventually.GetAsync(() => controller.GetJobAsync(job.Id), j => j.Outcome == "succeeded", TimeSpan.FromSeconds(5), "the agent's result replaces the guess");
    }

    [Fact]
    public async Task RestartReleasedWhileItsAgentIsOffline_ExpiryCountsFromItsRelease()
    {
        var agent = await ConnectAgentAsync(canRestart: true);
        var update = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);
        // What the dependent restarter leaves when web has a dependent: a restart that waits for the update (created now).
        var restartId = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken))
        {
            await db.ExecuteAsync(
                """
                INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, state, created_at, cause, caused_by_job_id, after_job_id)
                VALUES (@restartId, @hostId, @containerId, 'app', 'restart', 'dependency', 'automation', 'registry.local/app:1', 'pending', @createdAt, 'dependency ''web'' updated', @updateId, @updateId)
                """,
                new { restartId, hostId = agent.AgentId, containerId = new string('a', 64), createdAt = DbTime.ToText(clock.GetUtcNow()), updateId = update.Id });
        }

        // The agent goes away; 11 minutes later the update expires, which releases the restart while nobody can take it.
        await agent.DisposeAsync();
        clock.Advance(TimeSpan.FromMinutes(11));
        await Eventually.GetAsync(() => controller.GetJobAsync(update.Id), j => j.State == "finished", TimeSpan.FromSeconds(5), "the update expired");
        clock.Advance(TimeSpan.FromMinutes(2));

        // 13 minutes after the restart was created, but 2 after its release: it is still sent.
        var back = await ConnectAgentAsync(agent.AgentId, canRestart: true);
        var restart = (await ExpectAsync(back, ControllerMessage.BodyOneofCase.RestartCommand)).RestartCommand;
        Assert.Equal(restartId, restart.JobId);

        // Not taken within the command timeout from its release: expired after all.
        clock.Advance(TimeSpan.FromMinutes(9));
        await Eventually.GetAsync(() => controller.GetJobAsync(restartId), j => j.State == "finished", TimeSpan.FromSeconds(5), "the restart expired");
        Assert.Equal(("failed", "expired"), ((await controller.GetJobAsync(restartId)).Outcome, (await controller.GetJobAsync(restartId)).ReasonCode));
    }

    [Fact]
    public async Task SecondUpdateWhileOneIsUnfinished_IsRefused()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);

        using var second = await PostUpdateAsync(agent.AgentId, new { targetDigest = Digest1 });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(job.Id, await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Rollback_TargetsTheImageBeforeTheLastSuccessfulUpdate()
    {
        var agent = await ConnectAgentAsync();
        var job = await StartUpdateAsync(agent);
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand);
        await agent.SendAsync(new AgentMessage { JobResult = Result(job.Id, JobOutcome.Succeeded) });
        await ExpectAsync(agent, ControllerMessage.BodyOneofCase.JobResultAck);
        var updated = FakeAgent.Container(ContainerId, "web");
        updated.ImageId = ImageId2;
        await agent.SendDeltaAsync(2, [updated]);
        await Eventually.GetAsync(
            () => controller.GetContainersAsync("host=" + agent.AgentId), list => list.Any(c => c.ImageId == ImageId2), TimeSpan.FromSeconds(5), "the delta is stored");

        using var response = await controller.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/web/rollback");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var command = (await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand)).UpdateCommand;
        Assert.Equal(($"registry.local/app@{Digest1}", "registry.local/app:1", true), (command.TargetImage, command.TargetTag, command.RollbackToPrevious));
        var history = await controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/containers/{agent.AgentId}/web/history");
        Assert.Equal(["rollback", "update"], history.Items.Select(j => j.Kind));
    }

    [Fact]
    public async Task Rollback_WithoutAnEarlierUpdate_IsAConflictNamingWhy()
    {
        var agent = await ConnectAgentAsync();

        using var response = await controller.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/web/rollback");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("nothing to roll back to", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static TheoryData<string, int, string> BadRequests => new()
    {
        { """{"targetDigest":"sha256:123"}""", 400, "targetDigest" },
        { "{}", 422, "could not resolve the current digest of registry.local/app:1" },
        { """{"targetDigest":"DIGEST","verify":{"stabilityWindowSeconds":-1}}""", 400, "verify.stabilityWindowSeconds" },
        { """{"targetDigest":"DIGEST","image":"Not A Reference"}""", 400, "image" },
        { """{"targetDigest":"DIGEST","strategy":"rolling"}""", 400, "'rolling' is not an update strategy" },
        { """{"targetDigest":"DIGEST","strategy":"blue-green"}""", 409, "does not support blue-green updates" },
    };

    [Fact]
    public async Task Update_BlueGreen_IsSentWithTheStrategyAndRecordedOnTheJob_ReSentTheSameWay()
    {
        var agent = await ConnectAgentAsync(blueGreen: true);

        using var response = await PostUpdateAsync(agent.AgentId, new { targetDigest = Digest2, strategy = "blue-green" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<ApiJobWithStrategy>(TestContext.Current.CancellationToken))!;
        Assert.Equal("blue-green", job.Strategy);
        Assert.Equal("blue-green", (await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand)).UpdateCommand.Strategy);
        Assert.Equal("blue-green", (await controller.GetJsonAsync<ApiJobWithStrategy>($"/api/v1/jobs/{job.Id}")).Strategy);

        // A job the agent has not taken is sent again on reconnect, still blue-green.
        await agent.DisposeAsync();
        agents.Remove(agent);
        var again = await ConnectAgentAsync(agent.AgentId, blueGreen: true);
        var resent = await Eventually.GetAsync(() => again.ReceiveAsync(), m => m.BodyCase == ControllerMessage.BodyOneofCase.UpdateCommand, TimeSpan.FromSeconds(10), "the job is re-sent");
        Assert.Equal((job.Id, "blue-green"), (resent!.UpdateCommand.JobId, resent.UpdateCommand.Strategy));
    }

    [Fact]
    public async Task Update_Recreate_SendsNoStrategy()
    {
        var agent = await ConnectAgentAsync(blueGreen: true);

        var job = await StartUpdateAsync(agent);

        Assert.Equal("", (await ExpectAsync(agent, ControllerMessage.BodyOneofCase.UpdateCommand)).UpdateCommand.Strategy);
        Assert.Equal("recreate", (await controller.GetJsonAsync<ApiJobWithStrategy>($"/api/v1/jobs/{job.Id}")).Strategy);
    }

    [Fact]
    public async Task Update_BlueGreenWhileTheFeatureFlagIsOff_IsRefusedNamingTheFlag()
    {
        using var flagOff = new TempDirectory("flag-off");
        await using var plain = await ControllerHost.StartAsync(flagOff.Path);
        await using var agent = FakeAgent.Open(plain.AgentHubAddress, await plain.EnrollAgentAsync(FakeAgent.NewAgentId()));
        var hello = FakeAgent.Hello(agent.AgentId);
        hello.Capabilities.Add("updates.v1");
        hello.Capabilities.Add("updates.blue-green.v1");
        await agent.SendAsync(new AgentMessage { Hello = hello });
        await agent.ReceiveAsync();
        var container = FakeAgent.Container(ContainerId, "web");
        container.Labels.Add("harbor.strategy", "blue-green");
        await agent.SendSnapshotAsync(1, container);
        await Eventually.GetAsync(() => plain.GetContainersAsync("host=" + agent.AgentId), l => l.Count == 1, TimeSpan.FromSeconds(5), "the snapshot is stored");

        // Asked for by the container's label: refused, nothing created.
        using var response = await plain.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/web/update", new { targetDigest = Digest2 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Harbor:Features:enable_blue_green=true", text);
        Assert.Contains("harbor.strategy", text);
        Assert.Empty((await plain.GetJsonAsync<ApiPage<ApiJob>>("/api/v1/jobs")).Items);

        // Recreate is still possible for the same container.
        using var recreate = await plain.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/web/update", new { targetDigest = Digest2, strategy = "recreate" });
        Assert.Equal(HttpStatusCode.Accepted, recreate.StatusCode);
    }

    private sealed record ApiJobWithStrategy(string Id, string Strategy);

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Update_BadRequest_IsProblemJsonNamingTheProblem(string body, int status, string mentions)
    {
        var agent = await ConnectAgentAsync();
        using var content = new StringContent(body.Replace("DIGEST", Digest2, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await controller.Api.PostAsync($"/api/v1/containers/{agent.AgentId}/web/update", content, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Update_UnknownContainer_Is404_OfflineHost_Is409_AgentWithoutUpdates_Is409()
    {
        var agent = await ConnectAgentAsync();
        using (var unknown = await PostUpdateAsync(agent.AgentId, new { targetDigest = Digest2 }, "no-such-container"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var old = await ConnectAgentAsync(canUpdate: false);
        using (var incapable = await PostUpdateAsync(old.AgentId, new { targetDigest = Digest2 }))
        {
            Assert.Equal(HttpStatusCode.Conflict, incapable.StatusCode);
            Assert.Contains("does not support updates", await incapable.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        clock.Advance(TimeSpan.FromSeconds(31));
        using var offline = await PostUpdateAsync(agent.AgentId, new { targetDigest = Digest2 });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Contains("not connected", await offline.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Jobs_AreListedNewestFirst_FilteredAndPaged()
    {
        var first = await ConnectAgentAsync();
        var second = await ConnectAgentAsync();
        var a = await StartUpdateAsync(first);
        clock.Advance(TimeSpan.FromSeconds(1));
        var b = await StartUpdateAsync(second);

        var all = await controller.GetJsonAsync<ApiPage<ApiJob>>("/api/v1/jobs?pageSize=1");
        var onFirst = await controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/jobs?host={first.AgentId}");

        Assert.True(all.Total >= 2);
        Assert.Equal(b.Id, Assert.Single(all.Items).Id);
        Assert.Equal([a.Id], onFirst.Items.Select(j => j.Id));
        using var bad = await controller.Api.GetAsync("/api/v1/jobs?outcome=exploded", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await controller.Api.GetAsync("/api/v1/jobs/no-such-job", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheUpdateApi()
    {
        var document = await controller.Api.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Contains("/api/v1/containers/{hostId}/{container}/update", document);
        Assert.Contains("/api/v1/containers/{hostId}/{container}/rollback", document);
        Assert.Contains("/api/v1/jobs/{jobId}", document);
        Assert.Contains("/api/v1/containers/{hostId}/{container}/blocked-digests/{digest}", document);
    }

    private async Task<double> MetricAsync(string series)
    {
        var text = await controller.Api.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }

        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
