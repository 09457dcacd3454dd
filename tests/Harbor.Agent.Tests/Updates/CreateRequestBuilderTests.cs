using System.Text.Json.Nodes;
using Harbor.Agent.Updates;

namespace Harbor.Agent.Tests.Updates;

/// <summary>
/// The "same settings" rules, one row per rule: an old container (inspect JSON), its old image's config,
/// and what the create request must say. Paths use '/' because label keys contain dots.
/// </summary>
public sealed class CreateRequestBuilderTests
{
    private const string OldId = "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef";
    private const string ShortId = "0123456789ab";
    private const string NewImageId = "sha256:" + "f00d" + "0000000000000000000000000000000000000000000000000000000000ff";
    private const string Reference = "registry.local:5000/team/web:1.4";
    private const string AnonymousVolume = "aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111";
    private static readonly Version Api141 = new(1, 41);
    private static readonly Version Api144 = new(1, 44);

    /// <summary>A rule: the container's Config/HostConfig/networks/mounts, the old image's Config, and expectations.</summary>
    public sealed record SettingsRule(string Config, string Image, (string Path, string? Json)[] Expect, string HostConfig = "{}", string Networks = "{}", string Mounts = "[]", Version? Api = null, bool ImageGone = false);

    private static readonly Dictionary<string, SettingsRule> Cases = new()
    {
        ["env: image entries dropped, user entries and overrides kept"] = new(
            """{"Env":["PATH=/bin","GREETING=v1","USER_SET=1","MODE=override"]}""",
            """{"Env":["PATH=/bin","GREETING=v1","MODE=prod"]}""",
            [("Env", """["USER_SET=1","MODE=override"]""")]),
        ["labels: by key and value, the user's override wins"] = new(
            """{"Labels":{"vendor":"acme","mine":"yes","version":"custom"}}""",
            """{"Labels":{"vendor":"acme","version":"1"}}""",
            [("Labels", """{"mine":"yes","version":"custom"}""")]),
        ["entrypoint and cmd from the image: both dropped"] = new(
            """{"Entrypoint":["/entry.sh"],"Cmd":["serve"]}""",
            """{"Entrypoint":["/entry.sh"],"Cmd":["serve"]}""",
            [("Entrypoint", null), ("Cmd", null)]),
        ["command override with the image's entrypoint: cmd kept"] = new(
            """{"Entrypoint":["/entry.sh"],"Cmd":["serve","--debug"]}""",
            """{"Entrypoint":["/entry.sh"],"Cmd":["serve"]}""",
            [("Entrypoint", null), ("Cmd", """["serve","--debug"]""")]),
        ["user entrypoint: kept, and its cmd is the user's even when it equals the image's"] = new(
            """{"Entrypoint":["/bin/sh","-c"],"Cmd":["serve"]}""",
            """{"Entrypoint":["/entry.sh"],"Cmd":["serve"]}""",
            [("Entrypoint", """["/bin/sh","-c"]"""), ("Cmd", """["serve"]""")]),
        ["no entrypoint anywhere, cmd override: kept"] = new(
            """{"Entrypoint":null,"Cmd":["sleep","3600"]}""",
            """{"Entrypoint":null,"Cmd":null}""",
            [("Entrypoint", null), ("Cmd", """["sleep","3600"]""")]),
        ["working dir and user equal to the image: dropped"] = new(
            """{"WorkingDir":"/app","User":"app"}""",
            """{"WorkingDir":"/app","User":"app"}""",
            [("WorkingDir", null), ("User", null)]),
        ["working dir and user set by the user: kept"] = new(
            """{"WorkingDir":"/srv","User":"1000:1000"}""",
            """{"WorkingDir":"/app","User":""}""",
            [("WorkingDir", "\"/srv\""), ("User", "\"1000:1000\"")]),
        ["exposed ports: the image's go unless published, the user's stay"] = new(
            """{"ExposedPorts":{"80/tcp":{},"443/tcp":{},"9000/tcp":{}}}""",
            """{"ExposedPorts":{"80/tcp":{},"443/tcp":{}}}""",
            [("ExposedPorts", """{"80/tcp":{},"9000/tcp":{}}""")],
            HostConfig: """{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}"""),
        ["volumes: the image's declarations go, the user's stay"] = new(
            """{"Volumes":{"/data":{},"/cache":{}}}""",
            """{"Volumes":{"/data":{}}}""",
            [("Volumes", """{"/cache":{}}""")]),
        ["healthcheck equal to the image's: dropped so the new image's applies"] = new(
            """{"Healthcheck":{"Test":["CMD","check"],"Interval":30000000000}}""",
            """{"Healthcheck":{"Test":["CMD","check"],"Interval":30000000000}}""",
            [("Healthcheck", null)]),
        ["healthcheck override and --no-healthcheck: kept"] = new(
            """{"Healthcheck":{"Test":["NONE"]}}""",
            """{"Healthcheck":{"Test":["CMD","check"]}}""",
            [("Healthcheck", """{"Test":["NONE"]}""")]),
        ["stop signal from the image dropped, stop timeout (user-only) kept"] = new(
            """{"StopSignal":"SIGQUIT","StopTimeout":30}""",
            """{"StopSignal":"SIGQUIT"}""",
            [("StopSignal", null), ("StopTimeout", "30")]),
        ["hostname: Docker's short id dropped"] = new(
            """{"Hostname":"$SHORT"}""", "{}", [("Hostname", null)]),
        ["hostname: a user's hostname kept"] = new(
            """{"Hostname":"db-primary","Domainname":"lan"}""", "{}", [("Hostname", "\"db-primary\""), ("Domainname", "\"lan\"")]),
        ["hostname: dropped when the network namespace is shared"] = new(
            """{"Hostname":"the-host"}""", "{}", [("Hostname", null), ("NetworkingConfig", null)], HostConfig: """{"NetworkMode":"host"}"""),
        ["image and compose image label: the new ones"] = new(
            """{"Image":"registry.local:5000/team/web:1.3","Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"web","com.docker.compose.image":"sha256:old"}}""",
            "{}",
            [("Image", "\"$REF\""), ("Labels/com.docker.compose.project", "\"shop\""), ("Labels/com.docker.compose.service", "\"web\""),
             ("Labels/com.docker.compose.image", "\"$NEWIMAGE\"")]),
        ["fields this code does not know are kept verbatim"] = new(
            """{"Tty":true,"OpenStdin":true,"FutureField":{"x":1}}""", "{}", [("Tty", "true"), ("OpenStdin", "true"), ("FutureField", """{"x":1}""")]),
        ["HostConfig: kept whole (binds, ports, restart policy, resources, devices, caps, logging, dns)"] = new(
            "{}", "{}",
            [("HostConfig", """
                {"Binds":["/srv/data:/data:ro","named:/named"],"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]},
                 "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"Memory":67108864,"NanoCpus":500000000,"PidsLimit":64,
                 "Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"}],"CapAdd":["NET_ADMIN"],
                 "LogConfig":{"Type":"json-file","Config":{"max-size":"10m"}},"Dns":["1.1.1.1"],"ExtraHosts":["db:10.0.0.5"],"NetworkMode":"none"}
                """)],
            HostConfig: """
                {"Binds":["/srv/data:/data:ro","named:/named"],"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]},
                 "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"Memory":67108864,"NanoCpus":500000000,"PidsLimit":64,
                 "Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"}],"CapAdd":["NET_ADMIN"],
                 "LogConfig":{"Type":"json-file","Config":{"max-size":"10m"}},"Dns":["1.1.1.1"],"ExtraHosts":["db:10.0.0.5"],"NetworkMode":"none"}
                """),
        ["legacy links: rewritten from the inspect form to the create form"] = new(
            "{}", "{}", [("HostConfig/Links", """["db:database","cache:cache"]""")],
            HostConfig: """{"Links":["/db:/web/database","/cache:/web/cache"]}"""),
        ["container: network, ipc and pid modes kept"] = new(
            "{}", "{}",
            [("HostConfig/NetworkMode", "\"container:vpn\""), ("HostConfig/IpcMode", "\"container:shm-owner\""), ("HostConfig/PidMode", "\"container:app\""), ("NetworkingConfig", null)],
            HostConfig: """{"NetworkMode":"container:vpn","IpcMode":"container:shm-owner","PidMode":"container:app"}"""),
        ["networks (API 1.41): the primary at create with static IP and aliases minus the short id, others connected before start"] = new(
            "{}", "{}",
            [("NetworkingConfig/EndpointsConfig", """{"front":{"IPAMConfig":{"IPv4Address":"172.30.0.10","IPv6Address":"fd00::10"},"Aliases":["api","web"]}}"""),
             ("connect:back", """{"Aliases":["api-internal"],"Links":["db:database"]}""")],
            HostConfig: """{"NetworkMode":"front"}""",
            Networks: """
                {"front":{"IPAMConfig":{"IPv4Address":"172.30.0.10","IPv6Address":"fd00::10"},"Aliases":["api","$SHORT","web"],"NetworkID":"n1","IPAddress":"172.30.0.10","MacAddress":"02:42:ac:1e:00:0a"},
                 "back":{"IPAMConfig":null,"Aliases":["api-internal","$SHORT"],"Links":["db:database"],"NetworkID":"n2","IPAddress":"172.31.0.7"}}
                """),
        ["networks (API 1.44): all at create, nothing connected later"] = new(
            "{}", "{}",
            [("NetworkingConfig/EndpointsConfig/front", """{"Aliases":["api"]}"""), ("NetworkingConfig/EndpointsConfig/back", "{}"), ("connect:back", null)],
            HostConfig: """{"NetworkMode":"front"}""",
            Networks: """{"front":{"Aliases":["api","$SHORT"],"NetworkID":"n1"},"back":{"Aliases":["$SHORT"],"NetworkID":"n2"}}""",
            Api: Api144),
        ["default bridge: created on the bridge network"] = new(
            "{}", "{}", [("NetworkingConfig/EndpointsConfig", """{"bridge":{}}""")],
            HostConfig: """{"NetworkMode":"default"}""", Networks: """{"bridge":{"Aliases":null,"NetworkID":"b","IPAddress":"172.17.0.3"}}"""),
        ["user MAC (API 1.41): kept in Config, where the engine applies it to the container's own network"] = new(
            """{"MacAddress":"02:42:ac:1e:63:99"}""", "{}",
            [("MacAddress", "\"02:42:ac:1e:63:99\""), ("NetworkingConfig/EndpointsConfig/front/MacAddress", null)],
            HostConfig: """{"NetworkMode":"front"}""", Networks: """{"front":{"NetworkID":"n1","MacAddress":"02:42:ac:1e:63:99"}}"""),
        ["user MAC (API 1.44): moved to the primary endpoint"] = new(
            """{"MacAddress":"02:42:ac:1e:63:99"}""", "{}",
            [("MacAddress", null), ("NetworkingConfig/EndpointsConfig/front/MacAddress", "\"02:42:ac:1e:63:99\"")],
            HostConfig: """{"NetworkMode":"front"}""", Networks: """{"front":{"NetworkID":"n1","MacAddress":"02:42:ac:1e:63:99"}}""", Api: Api144),
        ["no user MAC: Docker's generated MAC is not copied"] = new(
            """{"MacAddress":""}""", "{}",
            [("MacAddress", null), ("NetworkingConfig/EndpointsConfig/front/MacAddress", null)],
            HostConfig: """{"NetworkMode":"front"}""", Networks: """{"front":{"NetworkID":"n1","MacAddress":"02:42:ac:1e:00:02"}}"""),
        ["anonymous volume of the image's VOLUME: re-attached by name, not replaced by an empty one"] = new(
            """{"Volumes":{"/data":{}}}""", """{"Volumes":{"/data":{}}}""",
            [("HostConfig/Binds", """["/srv/conf:/conf","$ANON:/data"]""")],
            HostConfig: """{"Binds":["/srv/conf:/conf"]}""",
            Mounts: """[{"Type":"volume","Name":"$ANON","Destination":"/data","RW":true},{"Type":"bind","Source":"/srv/conf","Destination":"/conf","RW":true}]"""),
        ["named volumes and binds: left as the user gave them"] = new(
            """{"Volumes":{"/data":{}}}""", """{"Volumes":{"/data":{}}}""",
            [("HostConfig/Binds", """["mydata:/data"]""")],
            HostConfig: """{"Binds":["mydata:/data"]}""",
            Mounts: """[{"Type":"volume","Name":"mydata","Destination":"/data","RW":true}]"""),
        ["--mount type=volume without a source: the volume it got is named"] = new(
            "{}", "{}",
            [("HostConfig/Mounts", """[{"Type":"volume","Target":"/cache","Source":"$ANON"}]""")],
            HostConfig: """{"Mounts":[{"Type":"volume","Target":"/cache"}]}""",
            Mounts: """[{"Type":"volume","Name":"$ANON","Destination":"/cache","RW":true}]"""),
        ["old image gone: every setting kept as the user's"] = new(
            """{"Env":["PATH=/bin","GREETING=v1"],"Cmd":["serve"],"WorkingDir":"/app"}""", "{}",
            [("Env", """["PATH=/bin","GREETING=v1"]"""), ("Cmd", """["serve"]"""), ("WorkingDir", "\"/app\"")],
            ImageGone: true),
    };

    public static TheoryData<string> Rules => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Build_SettingsRule_IsApplied(string rule)
    {
        var c = Cases[rule];
        var container = new JsonObject
        {
            ["Id"] = OldId,
            ["Name"] = "/web",
            ["Config"] = Parse(c.Config),
            ["HostConfig"] = Parse(c.HostConfig),
            ["NetworkSettings"] = new JsonObject { ["Networks"] = Parse(c.Networks) },
            ["Mounts"] = Parse(c.Mounts),
        };
        var image = c.ImageGone ? null : new JsonObject { ["Config"] = Parse(c.Image) };

        var plan = CreateRequestBuilder.Build(container, image, Reference, NewImageId, c.Api ?? Api141);

        foreach (var (path, json) in c.Expect)
        {
            var actual = path.StartsWith("connect:", StringComparison.Ordinal)
                ? plan.ConnectBeforeStart.FirstOrDefault(c => c.Network == path["connect:".Length..])?.Endpoint
                : At(plan.CreateBody, path);
            var expected = json is null ? null : Parse(json);
            Assert.True(
                expected is null ? actual is null : JsonNode.DeepEquals(expected, actual),
                $"{rule}: {path} should be {json ?? "absent"} but is {actual?.ToJsonString() ?? "absent"}");
        }
    }

    [Fact]
    public void Build_OldImageGone_SaysSoInTheNotes()
    {
        var container = new JsonObject { ["Id"] = OldId, ["Config"] = new JsonObject(), ["HostConfig"] = new JsonObject() };

        var plan = CreateRequestBuilder.Build(container, null, Reference, NewImageId, Api141);

        Assert.Contains(plan.Notes, n => n.Contains("old image no longer exists", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_DoesNotChangeTheInspectItWasGiven()
    {
        var container = Parse("""
            {"Id":"$OLDID","Config":{"Env":["A=1"],"Hostname":"$SHORT"},"HostConfig":{"Links":["/db:/web/db"]},
             "NetworkSettings":{"Networks":{"n":{"Aliases":["$SHORT"]}}}}
            """)!.AsObject();
        var before = container.ToJsonString();

        CreateRequestBuilder.Build(container, new JsonObject { ["Config"] = JsonNode.Parse("""{"Env":["A=1"]}""") }, Reference, NewImageId, Api141);

        // The executor keeps the inspect for the rollback; the builder must work on copies.
        Assert.Equal(before, container.ToJsonString());
    }

    /// <summary>JSON with the test's ids filled in ($SHORT, $OLDID, $ANON, $REF, $NEWIMAGE).</summary>
    private static JsonNode? Parse(string json) => JsonNode.Parse(json
        .Replace("$SHORT", ShortId, StringComparison.Ordinal)
        .Replace("$OLDID", OldId, StringComparison.Ordinal)
        .Replace("$ANON", AnonymousVolume, StringComparison.Ordinal)
        .Replace("$REF", Reference, StringComparison.Ordinal)
        .Replace("$NEWIMAGE", NewImageId, StringComparison.Ordinal));

    private static JsonNode? At(JsonObject body, string path)
    {
        JsonNode? node = body;
        foreach (var part in path.Split('/'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var next) ? next : null;
        }

        return node;
    }
}
