using Harbor.Controller.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Agents;

/// <summary>
/// Ends the stream of an agent that has been silent for longer than <see cref="AgentHubOptions.OfflineAfter"/>:
/// its host goes offline and the agent, if it is still alive, reconnects.
/// </summary>
internal sealed class AgentLivenessMonitor(
    ConnectedAgents agents,
    TimeProvider timeProvider,
    IOptions<AgentHubOptions> options,
    ILogger<AgentLivenessMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var period = TimeSpan.FromTicks(Math.Min(settings.HeartbeatInterval.Ticks, settings.OfflineAfter.Ticks / 3));
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = timeProvider.GetUtcNow();
                foreach (var connection in agents.All)
                {
                    if (connection.IsExpired(now, settings.OfflineAfter))
                    {
                        var silentFor = now - connection.LastSeen;
                        Log.AgentSilent(logger, connection.AgentId, silentFor);
                        connection.Abort($"No message from the agent for {silentFor.TotalSeconds:0} s.", "silent");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
