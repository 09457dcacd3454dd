using System.Threading.Channels;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Updates;

/// <summary>
/// Job events and results on their way to the controller. Jobs outlive streams, so they publish here;
/// whichever session is connected drains it into its single outgoing channel. Bounded: while the
/// controller is away the oldest progress events are dropped. Results never depend on this queue —
/// they stay in the journal until acknowledged and every new session sends them again.
/// </summary>
internal sealed class JobOutbox
{
    private readonly Channel<AgentMessage> channel = Channel.CreateBounded<AgentMessage>(new BoundedChannelOptions(1024)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    public ChannelReader<AgentMessage> Reader => channel.Reader;

    public void Publish(JobEvent jobEvent) => channel.Writer.TryWrite(new AgentMessage { JobEvent = jobEvent });

    public void Publish(JobResult result) => channel.Writer.TryWrite(new AgentMessage { JobResult = result });
}
