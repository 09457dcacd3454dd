using System.Text;
using System.Text.Json.Nodes;
using Harbor.Agent.Docker;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Tests.Updates;

/// <summary>The small pure rules around a job: references, commands, refusals, health waits, credentials.</summary>
public sealed class UpdateRulesTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly string Id = new('a', 64);

    [Theory]
    [InlineData("nginx", "nginx", null, null, "docker.io")]
    [InlineData("nginx:1.27", "nginx", "1.27", null, "docker.io")]
    [InlineData("library/nginx:1", "library/nginx", "1", null, "docker.io")]
    [InlineData("127.0.0.1:5000/team/web:2", "127.0.0.1:5000/team/web", "2", null, "127.0.0.1:5000")]
    [InlineData("ghcr.io/org/app@" + Digest, "ghcr.io/org/app", null, Digest, "ghcr.io")]
    [InlineData("localhost/app:dev", "localhost/app", "dev", null, "localhost")]
    public void ImageReference_Parse_SplitsLikeTheEngine(string text, string repository, string? tag, string? digest, string registry)
    {
        Assert.True(ImageReference.TryParse(text, out var reference, out var error), error);
        Assert.Equal((repository, tag, digest, registry), (reference.Repository, reference.Tag, reference.Digest, reference.Registry));
    }

    [Theory]
    [InlineData("")]
    [InlineData("app@sha256:123")]
    [InlineData("App/Upper:1")]
    [InlineData("app:bad tag")]
    public void ImageReference_Invalid_SaysWhy(string text)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("job-1", "r/app@" + Digest, "r/app:1", false, null)]
    [InlineData("../etc", "r/app@" + Digest, "", false, "job_id")]
    [InlineData("job-1", "r/app:1", "", false, "never by tag")]
    [InlineData("job-1", Digest, "r/app:1", false, "only allowed for a rollback")]
    [InlineData("job-1", Digest, "r/app:1", true, null)]
    [InlineData("job-1", "r/app@" + Digest, "other/app:1", false, "another repository")]
    public void UpdateCommandValidator_ChecksEveryField(string jobId, string target, string tag, bool rollback, string? problem)
    {
        var command = new UpdateCommand { JobId = jobId, ContainerId = Id, TargetImage = target, TargetTag = tag, RollbackToPrevious = rollback };

        var error = UpdateCommandValidator.Validate(command);

        if (problem is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(problem, error);
        }
    }

    [Theory]
    [InlineData("registry/app:1", "registry/app:1", "registry/app@" + Digest, "registry/app:1")]
    [InlineData("nginx", "nginx:latest", "nginx@" + Digest, "nginx")]                          // the container's own spelling
    [InlineData("registry/app:1", "registry/app:2", "registry/app@" + Digest, "registry/app:2")]
    [InlineData("registry/app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "", "registry/app@" + Digest, "registry/app@" + Digest)]
    [InlineData("registry/app:1", "", "registry/app@" + Digest, "registry/app@" + Digest)]
    public void ChooseReference_KeepsTheTagOrPinsTheDigest(string old, string tag, string target, string expected) =>
        Assert.Equal(expected, UpdateExecutor.ChooseReference(old, tag, target));

    private static JsonObject Container(string name = "web", string labels = "{}", string hostConfig = "{}", string status = "running") =>
        JsonNode.Parse($$"""{"Id":"{{Id}}","Name":"/{{name}}","State":{"Status":"{{status}}"},"Config":{"Labels":{{labels}}},"HostConfig":{{hostConfig}}}""")!.AsObject();

    private static JsonObject Other(string name, string hostConfig) =>
        JsonNode.Parse($$"""{"Id":"{{new string('b', 64)}}","Name":"/{{name}}","HostConfig":{{hostConfig}}}""")!.AsObject();

    public static TheoryData<string, JsonObject, JsonObject[], string?> Refusals => new()
    {
        { "an ordinary container", Container(), [Other("db", """{"NetworkMode":"bridge"}""")], null },
        { "the agent's own container", Container(), [], Id },
        { "labelled as the agent", Container(labels: """{"harbor.role":"agent"}"""), [], null },
        { "labelled as the controller", Container(labels: """{"harbor.role":"controller"}"""), [], null },
        { "a Swarm task", Container(labels: """{"com.docker.swarm.service.id":"x"}"""), [], null },
        { "started with --rm", Container(hostConfig: """{"AutoRemove":true}"""), [], null },
        { "paused", Container(status: "paused"), [], null },
        { "another container uses its network namespace by id", Container(), [Other("sidecar", $$"""{"NetworkMode":"container:{{Id}}"}""")], null },
        { "another container uses its pid namespace by name", Container(), [Other("debug", """{"PidMode":"container:web"}""")], null },
        { "another container has a legacy link to it", Container(), [Other("app", """{"Links":["/web:/app/web"]}""")], null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void UpdateRefusals_RefusesWhatCannotBeUpdatedSafely(string situation, JsonObject container, JsonObject[] others, string? agentContainerId)
    {
        var refusal = UpdateRefusals.Check(container, others, agentContainerId);

        if (situation == "an ordinary container")
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(refusal), situation);
            Assert.Contains("'web'", refusal);
        }
    }

    [Fact]
    public void UpdateRefusals_Dependents_AreNamedWithTheirMode()
    {
        var refusal = UpdateRefusals.Check(Container(), [Other("sidecar", $$"""{"NetworkMode":"container:{{Id}}"}""")], null);

        Assert.Contains("sidecar (--network container:web)", refusal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("""{"Test":["NONE"]}""", false)]
    [InlineData("""{"Test":["CMD","true"]}""", true)]
    public void HealthWait_IsDefined_OnlyForARealTest(string? healthcheck, bool defined) =>
        Assert.Equal(defined, HealthWait.IsDefined(healthcheck is null ? null : JsonNode.Parse(healthcheck)));

    [Theory]
    // Docker's defaults (30 s interval and timeout, 3 retries): (30 + 30) × 4 = 240 s.
    [InlineData("""{"Test":["CMD","true"]}""", 600, 240)]
    // 2 s start period + (1 s + 1 s) × (2 + 1) = 8 s.
    [InlineData("""{"Test":["CMD","true"],"Interval":1000000000,"Timeout":1000000000,"Retries":2,"StartPeriod":2000000000}""", 600, 8)]
    // Capped.
    [InlineData("""{"Test":["CMD","true"],"Interval":600000000000}""", 300, 300)]
    public void HealthWait_Derive_FollowsTheHealthcheckAndTheCap(string healthcheck, int capSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), HealthWait.Derive(JsonNode.Parse(healthcheck), TimeSpan.FromSeconds(capSeconds)));

    [Fact]
    public void SelfContainer_CgroupV2_FoundInMountInfo()
    {
        var id = new string('c', 64);
        var mountInfo = $"612 590 254:1 /var/lib/docker/containers/{id}/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n";

        Assert.Equal(id, SelfContainer.Detect(mountInfo, "0::/\n"));
    }

    [Fact]
    public void SelfContainer_CgroupV1_FoundInCgroup()
    {
        var id = new string('d', 64);

        Assert.Equal(id, SelfContainer.Detect("", $"12:memory:/docker/{id}\n"));
    }

    [Fact]
    public void SelfContainer_OnTheHost_IsNull() =>
        Assert.Null(SelfContainer.Detect("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "0::/user.slice\n"));

    [Fact]
    public void RegistryCredentials_AuthsEntry_BecomesTheEngineHeader()
    {
        var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("harbor:s3cret:with-colon")) };

        var header = RegistryCredentials.FromAuthsEntry(entry, "127.0.0.1:5000");

        var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header!.Replace('-', '+').Replace('_', '/'))))!;
        Assert.Equal(("harbor", "s3cret:with-colon", "127.0.0.1:5000"),
            (json["username"]!.GetValue<string>(), json["password"]!.GetValue<string>(), json["serveraddress"]!.GetValue<string>()));
    }

    [Fact]
    public void RegistryCredentials_DockerHub_IsLookedUpUnderTheCliKey() =>
        Assert.Equal(RegistryCredentials.DockerHubConfigKey, RegistryCredentials.ConfigKeys("docker.io")[0]);

    [Theory]
    [InlineData(JobStep.StopOld, "stop_old")]
    [InlineData(JobStep.StartNew, "start_new")]
    [InlineData(JobStep.Pull, "pull")]
    public void FaultInjection_StepNames_MatchTheDocumentedSpelling(JobStep step, string name) =>
        Assert.Equal(name, FaultInjection.StepName(step));

    [Fact]
    public void FaultInjection_IsInertUnlessTheVariableIsSet()
    {
        Assert.Null(Environment.GetEnvironmentVariable(FaultInjection.Variable));
        Assert.Null(FaultInjection.KillAt);

        // Would kill the test host if armed.
        FaultInjection.At(JobStep.StartNew);
    }
}
