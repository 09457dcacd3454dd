using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Inventory;
using Harbor.Agent.Journal;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>
/// One connected stream to the controller. Hello → Welcome, then a snapshot, then deltas, engine
/// status changes and heartbeats; update commands in, job events and results out. Everything the
/// agent sends goes through one outgoing channel drained by a single writer, because a gRPC request
/// stream is not safe for concurrent writes.
/// </summary>
internal sealed class AgentSession(
    AgentHub.AgentHubClient client,
    IControllerCredentials credentials,
    AgentIdentity identity,
    InventoryTracker tracker,
    UpdateService updates,
    JobJournal journal,
    JobOutbox outbox,
    ConnectionStatus status,
    IOptions<AgentOptions> options,
    TimeProvider timeProvider,
    ILogger<AgentSession> logger)
{
    public const string InventoryCapability = "inventory.v1";
    public const string UpdatesCapability = "updates.v1";
    public const string BlueGreenCapability = "updates.blue-green.v1";

    /// <summary>The agent takes RestartCommand (restart a container in place after its dependency changed).</summary>
    public const string RestartCapability = "restart.v1";
        private static readonly TimeSpan WelcomeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);

    private ulong sequence;
    private ulong generation;
    private volatile InventorySubscription? current;

    /// <summary>True once the controller accepted this session.</summary>
    public bool WasWelcomed { get; private set; }

    public static string AgentVersion { get; } =
        typeof(AgentSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await tracker.WaitUntilReadyAsync(cancellationToken);

        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = sessionCts.Token;
        using var call = client.Connect(credentials.CreateCallHeaders(), cancellationToken: token);
        var outgoing = Channel.CreateBounded<AgentMessage>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = WriteLoopAsync(call.RequestStream, outgoing.Reader, token);
        current = tracker.Subscribe();
        Task[] running = [writer];
        try
        {
            await outgoing.Writer.WriteAsync(new AgentMessage { Hello = CreateHello(current.EngineStatus) }, token);
            var welcome = await ReadWelcomeAsync(call.ResponseStream, token);
            var heartbeat = welcome.HeartbeatIntervalMs > 0 ? TimeSpan.FromMilliseconds(welcome.HeartbeatIntervalMs) : DefaultHeartbeat;
            WasWelcomed = true;
            status.SetConnected(timeProvider.GetUtcNow());
            AgentMetrics.Connected.Set(1);
            Log.ControllerConnected(logger, options.Value.ControllerUrl, welcome.AgentId, heartbeat);

            running =
            [
                writer,
                ReadLoopAsync(call.ResponseStream, heartbeat, token),
                ForwardInventoryAsync(outgoing.Writer, token),
                ForwardJobsAsync(outgoing.Writer, token),
                SendHeartbeatsAsync(outgoing.Writer, heartbeat, token),
            ];

            // The first loop to finish (normally or not) ends the session; the rest are cancelled.
            var first = await Task.WhenAny(running);
            await sessionCts.CancelAsync();
            await first;
        }
        finally
        {
            await sessionCts.CancelAsync();
            outgoing.Writer.TryComplete();
            current?.Dispose();
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private Hello CreateHello(EngineStatus engine)
    {
        var settings = options.Value;
        return new Hello
        {
            AgentId = identity.AgentId,
            AgentVersion = AgentVersion,
            HostName = string.IsNullOrWhiteSpace(settings.HostName) ? Environment.MachineName : settings.HostName,
            Os = string.IsNullOrEmpty(engine.Os) ? "linux" : engine.Os,
            Architecture = string.IsNullOrEmpty(engine.Architecture) ? LocalArchitecture() : engine.Architecture,
            EngineVersion = engine.EngineVersion,
            EngineApiVersion = engine.EngineApiVersion,
            Capabilities = { InventoryCapability, UpdatesCapability, BlueGreenCapability, RestartCapability },
        };
    }

    private async Task<Welcome> ReadWelcomeAsync(IAsyncStreamReader<ControllerMessage> responses, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(WelcomeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        if (!await responses.MoveNext(linked.Token))
        {
            throw new IOException("The controller closed the stream before welcoming the agent.");
        }

        CountReceived(responses.Current);
        return responses.Current.BodyCase == ControllerMessage.BodyOneofCase.Welcome
            ? responses.Current.Welcome
            : throw new IOException($"The controller answered Hello with {responses.Current.BodyCase} instead of Welcome.");
    }

    private async Task ReadLoopAsync(IAsyncStreamReader<ControllerMessage> responses, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        // A controller that stays silent for three heartbeats is gone even if TCP has not noticed yet.
        var silenceLimit = heartbeat * 3;
        using var silence = new CancellationTokenSource(silenceLimit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        try
        {
            while (await responses.MoveNext(linked.Token))
            {
                silence.CancelAfter(silenceLimit);
                var message = responses.Current;
                CountReceived(message);
                switch (message.BodyCase)
                {
                    case ControllerMessage.BodyOneofCase.ResyncRequest:
                        Log.ResyncRequested(logger, message.ResyncRequest.Reason);
                        current?.RequestResync(message.ResyncRequest.Reason);
                        break;
                    case ControllerMessage.BodyOneofCase.UpdateCommand:
                        updates.Accept(message.UpdateCommand);
                        break;
                    case ControllerMessage.BodyOneofCase.RestartCommand:
                        updates.Accept(message.RestartCommand);
                        break;
                    case ControllerMessage.BodyOneofCase.JobResultAck:
                        await journal.AcknowledgeAsync(message.JobResultAck.JobId, cancellationToken);
                        break;
                }
            }
        }
        catch (RpcException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No message from the controller for {silenceLimit.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No message from the controller for {silenceLimit.TotalSeconds:0} s.");
        }
    }

    private async Task ForwardInventoryAsync(ChannelWriter<AgentMessage> outgoing, CancellationToken cancellationToken)
    {
        var subscription = current!;
        while (true)
        {
            await SendSnapshotAsync(subscription, outgoing, cancellationToken);
            var resync = false;
            while (!resync && await subscription.Events.WaitToReadAsync(cancellationToken))
            {
                while (!resync && subscription.Events.TryRead(out var inventoryEvent))
                {
                    switch (inventoryEvent)
                    {
                        case ContainersChanged changed:
                            var delta = new InventoryDelta { Sequence = ++sequence };
                            delta.Upserted.AddRange(changed.Upserted);
                            delta.RemovedIds.AddRange(changed.RemovedIds);
                            await outgoing.WriteAsync(new AgentMessage { Delta = delta }, cancellationToken);
                            break;
                        case EngineStatusChanged engine:
                            await outgoing.WriteAsync(new AgentMessage { EngineStatus = engine.Status }, cancellationToken);
                            break;
                        case ResyncRequested:
                            resync = true;
                            break;
                    }
                }
            }

            // Resync requested, or this subscriber fell behind: start over from a fresh snapshot.
            subscription.Dispose();
            subscription = tracker.Subscribe();
            current = subscription;
        }
    }

    /// <summary>
    /// Results the controller has not acknowledged first (they survive reconnects and restarts in the
    /// journal), then job events and results as jobs produce them.
    /// </summary>
    private async Task ForwardJobsAsync(ChannelWriter<AgentMessage> outgoing, CancellationToken cancellationToken)
    {
        // Recovery settles interrupted jobs before their results are worth sending.
        await updates.Recovered.WaitAsync(cancellationToken);
        foreach (var job in journal.Unacknowledged)
        {
            await outgoing.WriteAsync(new AgentMessage { JobResult = JobReporter.Result(job) }, cancellationToken);
        }

        await foreach (var message in outbox.Reader.ReadAllAsync(cancellationToken))
        {
            await outgoing.WriteAsync(message, cancellationToken);
        }
    }

    private async Task SendSnapshotAsync(InventorySubscription subscription, ChannelWriter<AgentMessage> outgoing, CancellationToken cancellationToken)
    {
        await outgoing.WriteAsync(new AgentMessage { EngineStatus = subscription.EngineStatus }, cancellationToken);
        var snapshot = new InventorySnapshot { Sequence = ++sequence, Generation = ++generation };
        snapshot.Containers.AddRange(subscription.Snapshot);
        await outgoing.WriteAsync(new AgentMessage { Snapshot = snapshot }, cancellationToken);
    }

    private async Task SendHeartbeatsAsync(ChannelWriter<AgentMessage> outgoing, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await outgoing.WriteAsync(
                new AgentMessage { Heartbeat = new Heartbeat { SentAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()) } },
                cancellationToken);
        }
    }

    private static async Task WriteLoopAsync(IClientStreamWriter<AgentMessage> requests, ChannelReader<AgentMessage> outgoing, CancellationToken cancellationToken)
    {
        await foreach (var message in outgoing.ReadAllAsync(cancellationToken))
        {
            await requests.WriteAsync(message, cancellationToken);
            AgentMetrics.StreamMessages.WithLabels("out", message.BodyCase.ToString()).Inc();
        }
    }

    private static void CountReceived(ControllerMessage message) =>
        AgentMetrics.StreamMessages.WithLabels("in", message.BodyCase.ToString()).Inc();

    private static string LocalArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    };
}
