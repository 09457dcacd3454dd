using Harbor.Agent.Diagnostics;
using Harbor.Agent.Docker;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Journal;

/// <summary>
/// Start-up recovery: every job the journal shows as unfinished was interrupted (the agent crashed, was
/// killed or the host rebooted). Each is brought to a consistent state against the engine's real state
/// before the agent takes new work: undone if the new container had not been verified yet, finished if
/// it had. The outcome is journaled and reported like any other.
/// </summary>
internal sealed class JournalRecovery(
    IDockerEngine engine,
    JobJournal journal,
    ContainerRestorer restorer,
    UpdateExecutor executor,
    RestartExecutor restarts,
    JobOutbox outbox,
    TimeProvider timeProvider,
    ILogger<JournalRecovery> logger)
{
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var job in journal.Unfinished)
        {
            var interrupted = job.Step;
            Log.JobRecovering(logger, job.JobId, job.ContainerName ?? job.ContainerId, FaultInjection.StepName(interrupted));
            using var activity = JobTracing.StartJob(job, JobTracing.RecoverName);
            activity?.SetTag("harbor.job.interrupted_step", FaultInjection.StepName(interrupted));
            var run = new JobRun(job, new JobReporter(job, outbox, timeProvider));
            var step = new StepRecord { Step = JobStep.Recover, StartedAt = timeProvider.GetUtcNow() };
            lock (job)
            {
                // job.Step keeps the interrupted step: if recovery itself is interrupted, the next start knows where to resume.
                job.Steps.Add(step);
                job.Recovered = true;
            }

            await journal.SaveAsync(job, cancellationToken);
            run.Reporter.Event(JobStep.Recover, $"the agent restarted during {FaultInjection.StepName(interrupted)}; recovering");

            var (outcome, code, reason, container) = job.IsRestart
                ? await RecoverRestartAsync(job, interrupted, step, cancellationToken)
                : await DecideAsync(job, interrupted, step, cancellationToken);
            step.FinishedAt = timeProvider.GetUtcNow();
            await executor.FinishAsync(run, outcome, code, reason, container);
        }
    }

    private async Task<(JobOutcome Outcome, string Code, string Reason, string Container)> RecoverRestartAsync(
        JobRecord job, JobStep interrupted, StepRecord step, CancellationToken cancellationToken)
    {
        var (outcome, code, reason) = await restarts.RecoverAsync(job, interrupted, step, cancellationToken);
        return (outcome, code, reason, job.ContainerId);
    }

    private async Task<(JobOutcome Outcome, string Code, string Reason, string Container)> DecideAsync(
        JobRecord job, JobStep interrupted, StepRecord step, CancellationToken cancellationToken)
    {
        var stepName = FaultInjection.StepName(interrupted);
        switch (interrupted)
        {
            case JobStep.Accepted or JobStep.Check or JobStep.Pull or JobStep.Plan:
                step.Message = "nothing had been changed";
                return (JobOutcome.Failed, "agent_restarted",
                    $"The agent restarted during {stepName}, before it changed anything; nothing was touched.", job.ContainerId);

            case JobStep.RemoveOld or JobStep.PruneImages:
                // The new container had passed verification: finish the job.
                try
                {
                    await engine.RemoveContainerAsync(job.ContainerId, force: false, cancellationToken);
                    step.Message = "the new container had been verified; removed the old one";
                    return (JobOutcome.Succeeded, "", "", job.NewContainerId ?? job.ContainerId);
                }
                catch (Exception e) when (e is EngineRequestException or EngineUnavailableException)
                {
                    step.Error = e.Message;
                    return (JobOutcome.Succeeded, "",
                        $"The old container {job.RenamedTo} could not be removed after the restart ({e.Message}); remove it by hand.",
                        job.NewContainerId ?? job.ContainerId);
                }

            default:
                var code = job.FailureCode ?? "agent_restarted";
                var why = job.FailureReason ?? $"The agent restarted during {stepName}, before the new container was verified.";
                try
                {
                    step.Message = await restorer.RestoreAsync(job, cancellationToken);
                    return (JobOutcome.RolledBack, code, $"{why} Rolled back: '{job.ContainerName}' runs the previous image again.", job.ContainerId);
                }
                catch (Exception e) when (e is JobFailure or EngineRequestException or EngineUnavailableException)
                {
                    step.Error = e.Message;
                    return (JobOutcome.Failed, code, $"{why} Restoring the old container failed: {e.Message}", job.ContainerId);
                }
        }
    }
}
