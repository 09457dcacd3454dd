using Harbor.Agent.Docker;
using Harbor.Agent.Journal;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Engine = Harbor.Agent.Docker.DockerEngine;
using TestEngine = Harbor.Testing.DockerEngine;

namespace Harbor.Agent.Tests.Updates;

/// <summary>
/// The verification plan the agent announces (what it waits for and how long) against real containers on
/// the real engine: the job page's countdown is only as right as these plans.
/// </summary>
public sealed class ContainerVerifierTests : IAsyncLifetime
{
    private readonly string owner = $"{TestImages.TestLabel}=verifier-{Guid.NewGuid():N}";
    private readonly UpdateOptions options = new()
    {
        StabilityWindow = TimeSpan.FromMilliseconds(1200),
        HealthTimeoutCap = TimeSpan.FromMinutes(5),
        HttpProbeTimeout = TimeSpan.FromSeconds(7),
    };

    private Engine engine = null!;

    public async ValueTask InitializeAsync()
    {
        await TestEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        engine = new Engine(Options.Create(new DockerOptions()), NullLogger<Engine>.Instance);
        await engine.ConnectAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task VerifyAsync_ContainerWithHealthcheck_AnnouncesTheHealthWaitDerivedFromItsHealthcheck()
    {
        // start period 2 s + (interval 1 s + timeout 1 s) × (retries 2 + 1) = 8 s.
        var id = await RunAsync("--health-cmd", "true", "--health-interval", "1s", "--health-timeout", "1s", "--health-retries", "2",
            "--health-start-period", "2s", TestImages.Base, "sleep", "300");

        var (passed, plans, _) = await VerifyAsync(Job(), id);

        Assert.StartsWith("healthy after", passed);
        var plan = Assert.Single(plans);
        Assert.Equal(VerificationKind.Healthcheck, plan.Kind);
        Assert.Equal(8000, plan.WindowMs);
        Assert.Equal("", plan.Url);
    }

    [Fact]
    public async Task VerifyAsync_JobCapsTheHealthWait_AnnouncesTheCap()
    {
        var id = await RunAsync("--health-cmd", "true", "--health-interval", "1s", "--health-timeout", "1s", "--health-retries", "2",
            TestImages.Base, "sleep", "300");

        var (_, plans, _) = await VerifyAsync(Job(healthCapMs: 4500), id);

        Assert.Equal((VerificationKind.Healthcheck, 4500L), (plans.Single().Kind, plans.Single().WindowMs));
    }

    [Fact]
    public async Task VerifyAsync_NoHealthcheck_AnnouncesTheJobsStabilityWindow_OrTheAgentDefault()
    {
        var id = await RunAsync(TestImages.Base, "sleep", "300");
        var before = DateTimeOffset.UtcNow;

        var (passed, plans, events) = await VerifyAsync(Job(stabilityMs: 1500), id);
        var (_, defaults, _) = await VerifyAsync(Job(), id);

        Assert.Equal("kept running for 1.5 s", passed);
        var plan = Assert.Single(plans);
        Assert.Equal((VerificationKind.Stability, 1500L), (plan.Kind, plan.WindowMs));
        Assert.InRange(plan.StartedAt.ToDateTimeOffset(), before, DateTimeOffset.UtcNow);
        var announced = Assert.Single(events);
        Assert.Equal(JobStep.Verify, announced.Step);
        Assert.Equal("the container must keep running for 1.5 s", announced.Message);
        Assert.Equal((VerificationKind.Stability, 1200L), (defaults.Single().Kind, defaults.Single().WindowMs));
    }

    [Fact]
    public async Task VerifyAsync_ProbeLabel_AnnouncesTheProbeWithItsUrlAndTimeoutAfterTheStabilityWindow()
    {
        var id = await RunAsync("-l", $"{HarborLabels.VerifyHttp}=:80/index.html", TestImages.Base, "httpd", "-f", "-p", "80", "-h", "/www");

        var (passed, plans, _) = await VerifyAsync(Job(stabilityMs: 500), id);

        Assert.Contains("answered", passed);
        Assert.Equal([VerificationKind.Stability, VerificationKind.HttpProbe], plans.Select(p => p.Kind));
        var probe = plans[1];
        Assert.Equal(7000, probe.WindowMs);
        Assert.Matches(@"^http://[0-9.]+/index\.html$", probe.Url);
        Assert.True(probe.StartedAt.ToDateTimeOffset() >= plans[0].StartedAt.ToDateTimeOffset().AddMilliseconds(500), "the probe starts after the window");
    }

    private static JobRecord Job(int stabilityMs = 0, int healthCapMs = 0) => new()
    {
        JobId = "verify-" + Guid.NewGuid().ToString("N")[..8],
        ContainerId = "",
        TargetImage = "",
        StabilityWindowMs = stabilityMs,
        HealthTimeoutCapMs = healthCapMs,
    };

    /// <summary>Verifies the container; returns what passed, the plans announced and the events that carried them.</summary>
    private async Task<(string Passed, List<VerificationPlan> Plans, List<JobEvent> Events)> VerifyAsync(JobRecord job, string containerId)
    {
        var outbox = new JobOutbox();
        using var verifier = new ContainerVerifier(engine, Options.Create(options), TimeProvider.System);
        var passed = await verifier.VerifyAsync(job, containerId, new JobReporter(job, outbox, TimeProvider.System), TestContext.Current.CancellationToken);
        var events = new List<JobEvent>();
        while (outbox.Reader.TryRead(out var message))
        {
            events.Add(message.JobEvent);
        }

        return (passed, [.. events.Select(e => e.Verification)], events);
    }

    private async Task<string> RunAsync(params string[] arguments) =>
        await DockerCli.CheckedAsync(["run", "-d", "--init", "--name", TestNames.Unique("verify"), "-l", owner, .. arguments]);

    public async ValueTask DisposeAsync()
    {
        await DockerCli.RemoveContainersWithLabelAsync(owner);
        engine?.Dispose();
    }
}
