using System.Text.Json.Nodes;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Tests.Updates;

/// <summary>The pure parts of blue-green: where it cannot apply, and how the new container's networks are staged.</summary>
public sealed class BlueGreenTests
{
    private const string UserNetwork = """{"shop":{"NetworkID":"n1","Aliases":["web","aaaaaaaaaaaa"]}}""";

    private static JsonObject Container(string hostConfig = "{}", string networks = UserNetwork, bool running = true, string config = "{}") =>
        JsonNode.Parse(
            $$"""{"Id":"{{new string('a', 64)}}","Name":"/web","State":{"Running":{{(running ? "true" : "false")}}},"Config":{{config}},"HostConfig":{{hostConfig}},"""
            + $$"""
            "NetworkSettings":{"Networks":{{networks}} } }
            """)!.AsObject();

    public static TheoryData<string, JsonObject, string?> Cases => new()
    {
        { "user network with an alias", Container(), null },
        { "user network plus the default bridge", Container(networks: """{"bridge":{},"shop":{"Aliases":["web"]}}"""), null },
        { "exposed but not published", Container("""{"PortBindings":{}}"""), null },
        { "published port", Container("""{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}}"""), "publishes host ports (8080→80/tcp)" },
        { "publish all", Container("""{"PublishAllPorts":true}"""), "publishes host ports (all exposed ports (-P))" },
        { "static IPv4", Container(networks: """{"shop":{"IPAMConfig":{"IPv4Address":"10.9.0.10"}}}"""), "static address on shop (10.9.0.10)" },
        { "static IPv6", Container(networks: """{"shop":{"IPAMConfig":{"IPv6Address":"fd00::10"}}}"""), "static address on shop (fd00::10)" },
        { "fixed MAC", Container(config: """{"MacAddress":"02:42:ac:11:00:99"}"""), "fixed MAC address" },
        { "host network", Container("""{"NetworkMode":"host"}""", """{"host":{}}"""), "uses --network host" },
        { "another container's network", Container("""{"NetworkMode":"container:db"}""", "{}"), "uses --network container:db" },
        { "default bridge only", Container(networks: """{"bridge":{}}"""), "only on the default bridge network" },
        { "not running", Container(running: false), "is not running" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BlueGreenRefusals_Check_RefusesWhatTwoContainersCannotShare(string situation, JsonObject container, string? expected)
    {
        var refusal = BlueGreenRefusals.Check(container);

        if (expected is null)
        {
            Assert.True(refusal is null, $"{situation}: {refusal}");
        }
        else
        {
            Assert.NotNull(refusal);
            Assert.Contains(expected, refusal);
            Assert.Contains("recreate strategy", refusal);
        }
    }

    [Fact]
    public void BlueGreenStaging_Stage_CreatesWithoutSharedAliasesAndAddsThemWithTheNameAtTheSwitch()
    {
        var body = JsonNode.Parse("""
            {"Image":"app:2","NetworkingConfig":{"EndpointsConfig":{
              "shop":{"Aliases":["web","api"],"DriverOpts":{"k":"v"}},
              "bridge":{}}}}
            """)!.AsObject();
        var plan = new RecreatePlan(body, [new NetworkConnection("backend", JsonNode.Parse("""{"Aliases":["api-internal"]}""")!.AsObject())], []);

        var (staged, atSwitch) = BlueGreenStaging.Stage(plan, "web");

        var created = staged.CreateBody["NetworkingConfig"]!["EndpointsConfig"]!;
        Assert.Null(created["shop"]!["Aliases"]);
        Assert.Equal("v", created["shop"]!["DriverOpts"]!["k"]!.GetValue<string>());
        Assert.Null(staged.ConnectBeforeStart.Single().Endpoint["Aliases"]);
        Assert.Equal(["web", "api"], atSwitch["shop"]["Aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["api-internal", "web"], atSwitch["backend"]["Aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.False(atSwitch.ContainsKey("bridge"));
        // The original plan is untouched (a rollback or a retry reads it again).
        Assert.NotNull(plan.CreateBody["NetworkingConfig"]!["EndpointsConfig"]!["shop"]!["Aliases"]);
    }

    [Theory]
    [InlineData("", false, null)]
    [InlineData("blue-green", false, null)]
    [InlineData("rolling", false, "strategy 'rolling' is not known")]
    [InlineData("blue-green", true, "always a recreate")]
    public void UpdateCommandValidator_Strategy_AcceptsRecreateAndBlueGreenOnly(string strategy, bool rollback, string? expected)
    {
        var command = new UpdateCommand
        {
            JobId = "job-1",
            ContainerId = new string('a', 64),
            TargetImage = "r/app@sha256:" + new string('0', 64),
            TargetTag = "r/app:1",
            Strategy = strategy,
            RollbackToPrevious = rollback,
        };

        var error = UpdateCommandValidator.Validate(command);

        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error);
        }
    }
}
