using Harbor.Agent.Diagnostics;
using Harbor.Agent.Docker;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Restarts one container in place (same id, same settings) after a container it depends on was
/// replaced: check → stop (the container's own stop signal and timeout) → start → verify. Each step is
/// journaled before it is done, so an agent that dies mid-restart starts the container again at its next
/// start (<see cref="JournalRecovery"/>). Nothing is rolled back: there is nothing to undo, and the
/// dependency's update stands whatever happens here.
/// </summary>
internal sealed class RestartExecutor(
    IDockerEngine engine,
    UpdateExecutor steps,
    ContainerVerifier verifier,
    JobOutbox outbox,
    TimeProvider timeProvider,
    ILogger<RestartExecutor> logger)
{
    private static readonly TimeSpan ShutdownStartTime = TimeSpan.FromSeconds(20);

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var run = new JobRun(job, new JobReporter(job, outbox, timeProvider));
        using var scope = logger.BeginScope(new JobScope(job.JobId));
        run.Reporter.Event(JobStep.Accepted, $"accepted: restart ({job.Cause ?? "asked by the controller"})");
        Log.RestartStarted(logger, job.JobId, job.ContainerId, job.Cause ?? "");

        try
        {
            run.Old = await steps.StepAsync(run, JobStep.Check, async step =>
            {
                var container = await engine.InspectContainerJsonAsync(job.ContainerId, cancellationToken)
                    ?? throw new JobFailure("not_found", $"There is no container {job.ContainerId[..Math.Min(12, job.ContainerId.Length)]} on this host any more.") { Refused = true };
                var name = Name(container);
                var labels = container["Config"]?["Labels"];
                if (Text(container["Id"]) == SelfContainer.Id || Text(labels?[HarborLabels.Role]) is "agent" or "controller")
                {
                    throw new JobFailure("refused", $"'{name}' runs Harbor itself; restarting it would cut off the job. Restart it by hand.") { Refused = true };
                }

                lock (job)
                {
                    job.ContainerName = name;
                    job.WasRunning = Flag(container["State"]?["Running"]);
                }

                if (!job.WasRunning)
                {
                    throw new JobFailure("not_running", $"'{name}' is not running ({Text(container["State"]?["Status"])}); a stopped container is left stopped.") { Refused = true };
                }

                step.Message = $"{name} is running";
                return container;
            }, cancellationToken);
        }
        catch (JobFailure failure)
        {
            await steps.FinishAsync(run, failure.Refused ? JobOutcome.Refused : JobOutcome.Failed, failure.Code, failure.Message, job.ContainerId);
            return;
        }
        catch (Exception e) when (e is EngineUnavailableException or EngineRequestException)
        {
            await steps.FinishAsync(run, JobOutcome.Failed, "engine_error", $"{e.Message} Nothing was changed.", job.ContainerId);
            return;
        }

        try
        {
            await steps.StepAsync(run, JobStep.Stop, async step =>
            {
                var started = timeProvider.GetTimestamp();
                await engine.StopContainerAsync(job.ContainerId, ContainerRestorer.StopTimeout(run.Old!), cancellationToken);
                step.Message = $"stopped in {timeProvider.GetElapsedTime(started).TotalSeconds:0.0} s";
                return true;
            }, cancellationToken);

            await steps.StepAsync(run, JobStep.Start, async step =>
            {
                try
                {
                    await engine.StartContainerAsync(job.ContainerId, cancellationToken);
                }
                catch (EngineRequestException e)
                {
                    throw new JobFailure("start_failed", $"Starting '{job.ContainerName}' again failed: {e.Message}", e);
                }

                step.Message = "started";
                return true;
            }, cancellationToken);

            await steps.StepAsync(run, JobStep.Verify, async step =>
            {
                step.Message = await verifier.VerifyAsync(job, job.ContainerId, run.Reporter, cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent is stopping: leave the container running rather than stopped until the next start.
            using var grace = new CancellationTokenSource(ShutdownStartTime, timeProvider);
            var started = await TryStartAsync(job.ContainerId, grace.Token);
            await steps.FinishAsync(run, JobOutcome.Failed, "agent_stopped",
                $"The agent was stopped during the restart; '{job.ContainerName}' was {(started ? "started again" : "left for start-up recovery to start")}.",
                job.ContainerId);
            return;
        }
        catch (Exception e)
        {
            var code = e is JobFailure failure ? failure.Code : FaultInjection.StepName(job.Step) + "_failed";
            // A failed stop may leave it stopped: it must run again (a failed start or verification already tried).
            var running = job.Step == JobStep.Stop && await TryStartAsync(job.ContainerId, cancellationToken);
            await steps.FinishAsync(run, JobOutcome.Failed, code,
                $"Restarting '{job.ContainerName}' failed: {e.Message}{(running ? " It was started again." : "")} Nothing is rolled back; the dependency stays updated.",
                job.ContainerId);
            return;
        }

        await steps.FinishAsync(run, JobOutcome.Succeeded, "", "", job.ContainerId);
    }

    /// <summary>Start-up recovery of a restart the agent was interrupted in: the container must be running again.</summary>
    public async Task<(JobOutcome Outcome, string Code, string Reason)> RecoverAsync(JobRecord job, JobStep interrupted, StepRecord step, CancellationToken cancellationToken)
    {
        var stepName = FaultInjection.StepName(interrupted);
        if (interrupted is JobStep.Accepted or JobStep.Check || !job.WasRunning)
        {
            step.Message = "nothing had been changed";
            return (JobOutcome.Failed, "agent_restarted", $"The agent restarted during {stepName}, before it changed anything; nothing was touched.");
        }

        try
        {
            await engine.StartContainerAsync(job.ContainerId, cancellationToken);
            var state = await engine.InspectContainerJsonAsync(job.ContainerId, cancellationToken);
            if (state is not null && Flag(state["State"]?["Running"]))
            {
                step.Message = "started the container again";
                return (JobOutcome.Succeeded, "", $"The agent restarted during {stepName}; '{job.ContainerName}' was started again and runs.");
            }

            step.Error = "not running after start";
            return (JobOutcome.Failed, "start_failed", $"The agent restarted during {stepName}; '{job.ContainerName}' was started again but is not running.");
        }
        catch (Exception e) when (e is EngineRequestException or EngineUnavailableException)
        {
            step.Error = e.Message;
            return (JobOutcome.Failed, "start_failed", $"The agent restarted during {stepName}; starting '{job.ContainerName}' again failed: {e.Message}");
        }
    }

    private async Task<bool> TryStartAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await engine.StartContainerAsync(containerId, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is EngineRequestException or EngineUnavailableException or OperationCanceledException)
        {
            return false;
        }
    }
}
