using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Enrollment;
using Harbor.Controller.Updates;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Agents;

/// <summary>
/// The gRPC end of each agent's stream. Thin: it checks the protocol (Hello first, sequence
/// numbers), binds the stream to the agent identity the interceptor authenticated (Hello.agent_id
/// must be that identity), hands inventory to <see cref="InventoryService"/> and job reports to
/// <see cref="JobReports"/>, always as the stream's own host. Enroll is passed to <see cref="AgentEnrollment"/>.
/// </summary>
internal sealed class AgentHubService(
    ConnectedAgents agents,
    InventoryService inventory,
    UpdateJobService updates,
    JobReports jobReports,
    AgentEnrollment enrollment,
    AgentCertificateAuthority certificateAuthority,
    TimeProvider timeProvider,
    IOptions<AgentHubOptions> options,
    ILogger<AgentHubService> logger) : AgentHub.AgentHubBase
{
    public static string ControllerVersion { get; } =
        typeof(AgentHubService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ControllerMessage> responseStream, ServerCallContext context)
    {
        var settings = options.Value;
        var hello = await ReadHelloAsync(requestStream, context.CancellationToken);
        var authenticated = AgentAuthentication.Of(context);
        if (authenticated.AgentId is not null && !string.Equals(authenticated.AgentId, hello.AgentId, StringComparison.Ordinal))
        {
            var reason = $"Hello.agent_id '{hello.AgentId}' is not the agent this credential was issued to ('{authenticated.AgentId}').";
            Log.AgentIdentityMismatch(logger, authenticated.AgentId, context.Peer, reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, reason));
        }

        using var connection = new AgentConnection(hello, context.Peer, timeProvider.GetUtcNow(), context.CancellationToken);
        agents.Register(connection);
        Log.AgentConnected(logger, hello.AgentId, hello.HostName, hello.AgentVersion, hello.EngineVersion, hello.EngineApiVersion, context.Peer);

        var writer = connection.RunWriterAsync(responseStream);
        var heartbeats = SendHeartbeatsAsync(connection, settings.HeartbeatInterval);
        try
        {
            await inventory.HostConnectedAsync(hello, connection.ConnectedAt, connection.Token);
            await connection.SendAsync(new ControllerMessage
            {
                Welcome = new Welcome
                {
                    AgentId = hello.AgentId,
                    HeartbeatIntervalMs = (int)settings.HeartbeatInterval.TotalMilliseconds,
                    ControllerVersion = ControllerVersion,
                },
            });
            // Jobs this agent has not taken yet (sent before a reconnect or a controller restart) go out again.
            await updates.HostConnectedAsync(connection, connection.Token);
            await ReceiveAsync(requestStream, connection);
        }
        catch (OperationCanceledException) when (connection.AbortReason is not null)
        {
            throw new RpcException(new Status(StatusCode.Aborted, connection.AbortReason));
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            // The agent went away mid-read; the finally block records it.
        }
        finally
        {
            connection.Abort("The stream ended.");
            await Task.WhenAll(writer, heartbeats).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (agents.Unregister(connection))
            {
                await inventory.HostDisconnectedAsync(hello.AgentId, timeProvider.GetUtcNow());
                Log.AgentDisconnected(logger, hello.AgentId, connection.AbortReason ?? "stream ended");
            }
        }
    }

    public override Task<GetCertificateAuthorityResponse> GetCertificateAuthority(GetCertificateAuthorityRequest request, ServerCallContext context) =>
        Task.FromResult(new GetCertificateAuthorityResponse { CaCertificate = Google.Protobuf.ByteString.CopyFrom(certificateAuthority.Certificate.RawData) });

    public override Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context) =>
        enrollment.EnrollAsync(request, context.Peer, context.CancellationToken);

    private async Task<Hello> ReadHelloAsync(IAsyncStreamReader<AgentMessage> requests, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.HelloTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        bool received;
        try
        {
            received = await requests.MoveNext(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"No Hello within {options.Value.HelloTimeout.TotalSeconds:0} s."));
        }

        if (!received)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The stream ended before Hello."));
        }

        var message = requests.Current;
        ControllerMetrics.StreamMessages.WithLabels("in", message.BodyCase.ToString()).Inc();
        if (message.BodyCase != AgentMessage.BodyOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The first message must be Hello, not {message.BodyCase}."));
        }

        var problem = HelloValidator.Validate(message.Hello);
        return problem is null
            ? message.Hello
            : throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
    }

    private async Task ReceiveAsync(IAsyncStreamReader<AgentMessage> requests, AgentConnection connection)
    {
        var hostId = connection.AgentId;
        var sequencer = new InventorySequencer();
        while (await requests.MoveNext(connection.Token))
        {
            var message = requests.Current;
            var now = timeProvider.GetUtcNow();
            connection.Touch(now);
            ControllerMetrics.StreamMessages.WithLabels("in", message.BodyCase.ToString()).Inc();

            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.Snapshot:
                    if (sequencer.OnSnapshot(message.Snapshot.Sequence).Action == SequenceAction.Apply)
                    {
                        await inventory.ApplySnapshotAsync(hostId, message.Snapshot, now, connection.Token);
                    }

                    break;

                case AgentMessage.BodyOneofCase.Delta:
                    var decision = sequencer.OnDelta(message.Delta.Sequence);
                    if (decision.Action == SequenceAction.Apply)
                    {
                        await inventory.ApplyDeltaAsync(hostId, message.Delta, now, connection.Token);
                    }
                    else if (decision.Action == SequenceAction.RequestResync)
                    {
                        Log.InventoryGap(logger, hostId, decision.Reason!);
                        ControllerMetrics.InventoryResyncs.Inc();
                        await connection.SendAsync(new ControllerMessage { ResyncRequest = new ResyncRequest { Reason = decision.Reason } });
                    }

                    break;

                case AgentMessage.BodyOneofCase.Heartbeat:
                    await inventory.HostSeenAsync(hostId, now, connection.Token);
                    break;

                case AgentMessage.BodyOneofCase.EngineStatus:
                    await inventory.EngineStatusChangedAsync(hostId, message.EngineStatus, now, connection.Token);
                    break;

                case AgentMessage.BodyOneofCase.JobEvent:
                    await jobReports.OnEventAsync(hostId, message.JobEvent, connection.Token);
                    break;

                case AgentMessage.BodyOneofCase.JobResult:
                    await jobReports.OnResultAsync(hostId, message.JobResult, connection.Token);
                    await connection.SendAsync(new ControllerMessage { JobResultAck = new JobResultAck { JobId = message.JobResult.JobId } });
                    break;

                case AgentMessage.BodyOneofCase.Hello:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello may only be sent once per stream."));

                default:
                    // A newer agent may send bodies this controller does not know: ignore them, stay connected.
                    break;
            }
        }
    }

    private async Task SendHeartbeatsAsync(AgentConnection connection, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(connection.Token))
        {
            await connection.SendAsync(new ControllerMessage
            {
                Heartbeat = new Heartbeat { SentAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()) },
            });
        }
    }
}
