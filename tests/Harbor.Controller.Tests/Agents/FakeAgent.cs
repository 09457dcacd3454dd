using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Agents;

/// <summary>
/// A scripted agent: a real gRPC client over a real socket that sends exactly the messages a test
/// wants (including malformed ones), so the controller's side of the protocol can be pinned down.
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly GrpcChannel channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call;

    private FakeAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call, string agentId, TestAgentCredential? credential)
    {
        this.channel = channel;
        this.call = call;
        AgentId = agentId;
        Credential = credential;
    }

    public string AgentId { get; }

    /// <summary>The certificate this fake agent got by enrolling (null for one that never enrolled).</summary>
    public TestAgentCredential? Credential { get; }

    public static string NewAgentId() => "agent-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Opens the stream over TLS with the agent's certificate; nothing is sent yet.</summary>
    public static FakeAgent Open(Uri hub, TestAgentCredential credential, string? agentId = null, Metadata? headers = null)
    {
        var channel = credential.CreateChannel(hub);
        var call = new AgentHub.AgentHubClient(channel).Connect(headers ?? []);
        return new FakeAgent(channel, call, agentId ?? credential.AgentId, credential);
    }

    /// <summary>Opens the stream over TLS (trusting the controller's CA) without any client certificate.</summary>
    public static FakeAgent OpenUnenrolled(Uri hub, X509Certificate2 trustedCa, Metadata? headers = null)
    {
        var channel = TestAgentCredential.CreateChannel(hub, null, trustedCa);
        var call = new AgentHub.AgentHubClient(channel).Connect(headers ?? []);
        return new FakeAgent(channel, call, NewAgentId(), null);
    }

    /// <summary>Opens a plain HTTP/2 stream with a dev token (development mode only).</summary>
    public static FakeAgent OpenWithDevToken(Uri hub, string? devToken, string? agentId = null)
    {
        var channel = GrpcChannel.ForAddress(hub);
        var headers = new Metadata();
        if (devToken is not null)
        {
            headers.Add("authorization", "Bearer " + devToken);
        }

        return new FakeAgent(channel, new AgentHub.AgentHubClient(channel).Connect(headers), agentId ?? NewAgentId(), null);
    }

    /// <summary>Enrolls a new agent (or reuses <paramref name="credential"/>), says Hello, and waits for Welcome.</summary>
    public static async Task<FakeAgent> ConnectAsync(
        ControllerHost controller, string? agentId = null, string hostName = "test-host", TestAgentCredential? credential = null, IEnumerable<string>? capabilities = null)
    {
        credential ??= await controller.EnrollAgentAsync(agentId ?? NewAgentId(), hostName);
        return await HelloAsync(Open(controller.AgentHubAddress, credential), hostName, capabilities);
    }

    /// <summary>Says Hello (with extra <paramref name="capabilities"/>, e.g. updates.v1) on an opened stream and waits for Welcome.</summary>
    public static async Task<FakeAgent> HelloAsync(FakeAgent agent, string hostName = "test-host", IEnumerable<string>? capabilities = null)
    {
        var hello = Hello(agent.AgentId, hostName);
        hello.Capabilities.Add(capabilities ?? []);
        await agent.SendAsync(new AgentMessage { Hello = hello });
        var welcome = await agent.ReceiveAsync();
        Assert.Equal(ControllerMessage.BodyOneofCase.Welcome, welcome.BodyCase);
        Assert.Equal(agent.AgentId, welcome.Welcome.AgentId);
        return agent;
    }

    public static Hello Hello(string agentId, string hostName = "test-host") => new()
    {
        AgentId = agentId,
        AgentVersion = "0.0.1-test",
        HostName = hostName,
        Os = "linux",
        Architecture = "amd64",
        EngineVersion = "27.0.0",
        EngineApiVersion = "1.47",
        Capabilities = { "inventory.v1" },
    };

    public static Container Container(string id, string name, ContainerState state = ContainerState.Running) => new()
    {
        Id = id,
        Name = name,
        Image = "registry.local/app:1",
        ImageId = "sha256:" + new string('0', 64),
        State = state,
        CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        Platform = new Platform { Os = "linux", Architecture = "amd64" },
    };

    public Task SendAsync(AgentMessage message) => call.RequestStream.WriteAsync(message);

    public Task SendSnapshotAsync(ulong sequence, params Container[] containers)
    {
        var snapshot = new InventorySnapshot { Sequence = sequence, Generation = sequence };
        snapshot.Containers.AddRange(containers);
        return SendAsync(new AgentMessage { Snapshot = snapshot });
    }

    public Task SendDeltaAsync(ulong sequence, Container[] upserted, params string[] removed)
    {
        var delta = new InventoryDelta { Sequence = sequence };
        delta.Upserted.AddRange(upserted);
        delta.RemovedIds.AddRange(removed);
        return SendAsync(new AgentMessage { Delta = delta });
    }

    public Task SendHeartbeatAsync() => SendAsync(new AgentMessage { Heartbeat = new Heartbeat() });

    /// <summary>The next message from the controller, skipping heartbeats.</summary>
    public async Task<ControllerMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (await call.ResponseStream.MoveNext(cts.Token))
        {
            if (call.ResponseStream.Current.BodyCase != ControllerMessage.BodyOneofCase.Heartbeat)
            {
                return call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("The controller ended the stream.");
    }

    /// <summary>The next message from the controller, heartbeats included.</summary>
    public async Task<ControllerMessage> ReceiveRawAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await call.ResponseStream.MoveNext(cts.Token)
            ? call.ResponseStream.Current
            : throw new InvalidOperationException("The controller ended the stream.");
    }

    /// <summary>Reads until the controller ends the call; returns how it ended.</summary>
    public async Task<Status> WaitForEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
            }

            return call.GetStatus();
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    public async ValueTask DisposeAsync()
    {
        call.Dispose();
        channel.Dispose();
        await Task.CompletedTask;
    }
}
