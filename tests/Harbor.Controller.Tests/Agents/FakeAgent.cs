using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Tests.Agents;

/// <summary>
/// A scripted agent: a real gRPC client over a real socket that sends exactly the messages a test
/// wants (including malformed ones), so the controller's side of the protocol can be pinned down.
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly GrpcChannel channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call;

    private FakeAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call, string agentId)
    {
        this.channel = channel;
        this.call = call;
        AgentId = agentId;
    }

    public string AgentId { get; }

    public static FakeAgent Open(Uri hub, string? token, string? agentId = null)
    {
        var channel = GrpcChannel.ForAddress(hub);
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        var call = new AgentHub.AgentHubClient(channel).Connect(headers);
        return new FakeAgent(channel, call, agentId ?? "agent-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>Hello, then waits for Welcome.</summary>
    public static async Task<FakeAgent> ConnectAsync(Uri hub, string token, string? agentId = null, string hostName = "test-host")
    {
        var agent = Open(hub, token, agentId);
        await agent.SendAsync(new AgentMessage { Hello = Hello(agent.AgentId, hostName) });
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
