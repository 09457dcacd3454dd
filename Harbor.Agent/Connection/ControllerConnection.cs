using Grpc.Core;
using Harbor.Agent.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>
/// Keeps one stream to the controller open for the agent's whole life: connect, run a session,
/// and after any failure reconnect with jittered exponential backoff. The agent's own work
/// (inventory, later updates) carries on while the controller is away.
/// </summary>
internal sealed class ControllerConnection(
    AgentSessionFactory sessions,
    IControllerCredentials credentials,
    ConnectionStatus status,
    IOptions<AgentOptions> options,
    TimeProvider timeProvider,
    ILogger<ControllerConnection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            AgentSession? session = null;
            string reason;
            var rejected = false;
            var waiting = false;
            try
            {
                await credentials.EnsureReadyAsync(stoppingToken);
                session = sessions.Create();
                await session.RunAsync(stoppingToken);
                reason = "the controller closed the stream";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                status.SetDisconnected("The agent is stopping.");
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument)
            {
                reason = e.Status.Detail;
                rejected = true;
            }
            catch (EnrollmentException e) when (e.Waiting)
            {
                reason = e.Message;
                waiting = true;
            }
            catch (EnrollmentException e)
            {
                reason = e.Message;
                rejected = true;
            }
            catch (RpcException e)
            {
                reason = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : $"{e.StatusCode}: {e.Status.Detail}";
            }
            catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                reason = e.Message;
            }

            // A session that got as far as Welcome resets the backoff: the next failure is a new incident.
            failures = session?.WasWelcomed == true ? 0 : failures + 1;
            var delay = ReconnectBackoff.Delay(failures, settings.ReconnectMinDelay, settings.ReconnectMaxDelay);
            status.SetDisconnected(reason);
            AgentMetrics.Connected.Set(0);
            AgentMetrics.Reconnects.Inc();
            if (waiting)
            {
                // Not a failure: the controller beside this agent has not written the token yet.
                Log.WaitingForEnrollmentToken(logger, reason, delay);
            }
            else if (rejected)
            {
                Log.ControllerRejected(logger, settings.ControllerUrl, reason, delay);
            }
            else
            {
                Log.ControllerDisconnected(logger, settings.ControllerUrl, reason, delay);
            }

            await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
