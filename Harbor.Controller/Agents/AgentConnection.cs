using System.Threading.Channels;
using Grpc.Core;
using Harbor.Controller.Diagnostics;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Agents;

/// <summary>
/// One agent's live stream, as the controller sees it: who it is, when it was last heard from, and
/// the single outgoing queue that is the only way to write to its response stream.
/// </summary>
internal sealed class AgentConnection : IDisposable
{
    private readonly Channel<ControllerMessage> outgoing;
    private readonly CancellationTokenSource lifetime;
    private long lastSeenUtcTicks;

    public AgentConnection(Hello hello, string peer, DateTimeOffset connectedAt, CancellationToken callCancelled)
    {
        Hello = hello;
        Peer = peer;
        ConnectedAt = connectedAt;
        lastSeenUtcTicks = connectedAt.UtcTicks;
        lifetime = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        outgoing = Channel.CreateBounded<ControllerMessage>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string AgentId => Hello.AgentId;

    public Hello Hello { get; }

    public string Peer { get; }

    public DateTimeOffset ConnectedAt { get; }

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref lastSeenUtcTicks), TimeSpan.Zero);

    /// <summary>Cancelled when the call ends or the controller aborts this connection.</summary>
    public CancellationToken Token => lifetime.Token;

    /// <summary>Why the controller ended this connection (replaced, silent), or null.</summary>
    public string? AbortReason { get; private set; }

    /// <summary>A short code for <see cref="AbortReason"/> (replaced, silent), the label of harbor_agent_disconnects_total.</summary>
    public string? AbortCode { get; private set; }

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref lastSeenUtcTicks, now.UtcTicks);

    public bool IsExpired(DateTimeOffset now, TimeSpan offlineAfter) => now - LastSeen > offlineAfter;

    public ValueTask SendAsync(ControllerMessage message) => outgoing.Writer.WriteAsync(message, Token);

    public void Abort(string reason, string code = "ended")
    {
        AbortCode ??= code;
        AbortReason ??= reason;
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    /// <summary>The single writer: drains the outgoing queue into the response stream.</summary>
    public async Task RunWriterAsync(IServerStreamWriter<ControllerMessage> responses)
    {
        await foreach (var message in outgoing.Reader.ReadAllAsync(Token))
        {
            await responses.WriteAsync(message, Token);
            ControllerMetrics.StreamMessages.WithLabels("out", message.BodyCase.ToString()).Inc();
        }
    }

    public void Dispose()
    {
        outgoing.Writer.TryComplete();
        lifetime.Dispose();
    }
}
