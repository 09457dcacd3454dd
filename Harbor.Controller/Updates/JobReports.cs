using Dapper;
using DependentRestarter = Harbor.Controller.Automation.DependentRestarter;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Events;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Updates;

/// <summary>
/// Job events and results from agent streams. Every write is keyed by the stream's own host as well as
/// the job id, so an agent can only ever touch its own host's jobs. Results are idempotent: a result
/// sent again after a reconnect changes nothing and counts nothing twice.
/// </summary>
internal sealed class JobReports(
    SqliteConnectionFactory connections,
    EventHub events,
    UpdateJobService updates,
    DependentRestarter restarts,
    TimeProvider timeProvider,
    ILogger<JobReports> logger)
{
    /// <summary>Reasons that mean the new image itself does not work: its digest is blocked on that container.</summary>
    public static readonly IReadOnlySet<string> BlockingReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        "exited", "unhealthy", "health_timeout", "restarted", "probe_failed", "start_failed",
    };

    public async Task OnEventAsync(string hostId, JobEvent jobEvent, CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();
        var at = DbTime.ToText(jobEvent.At?.ToDateTimeOffset() ?? receivedAt);
        var step = UpdateMapper.Name(jobEvent.Step);
        var (plan, problem) = AnnouncedVerification.Read(jobEvent, receivedAt);
        if (problem is not null)
        {
            Log.VerificationPlanIgnored(logger, jobEvent.JobId, hostId, problem);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE update_jobs SET
                state = CASE WHEN state IN ('pending', 'sent') THEN 'running' ELSE state END,
                accepted_at = COALESCE(accepted_at, @at),
                current_step = @step, progress = @Progress, last_message = @Message,
                verification_kind = COALESCE(@kind, verification_kind),
                verification_window_ms = COALESCE(@windowMs, verification_window_ms),
                verification_started_at = COALESCE(@startedAt, verification_started_at),
                verification_url = CASE WHEN @kind IS NULL THEN verification_url ELSE @url END
            WHERE id = @JobId AND host_id = @hostId AND state <> 'finished'
            """,
            new
            {
                jobEvent.JobId, hostId, at, step, jobEvent.Progress, jobEvent.Message,
                kind = plan?.Kind, windowMs = plan?.WindowMs, startedAt = DbTime.ToText(plan?.StartedAt), url = plan?.Url,
            },
            cancellationToken: cancellationToken));
        if (changed == 0)
        {
            // Another host's job, an unknown one, or late progress of a finished job: nothing to record.
            return;
        }

        // Pull progress only moves the job row; step starts and ends are the job's readable log. Each event is
        // published after its write, so a live page that reloads on it reads what the event announced.
        if (jobEvent.Progress is > 0 and < 1)
        {
            events.Publish(EventTypes.JobProgress, hostId, new { jobId = jobEvent.JobId, hostId, step, message = jobEvent.Message, progress = jobEvent.Progress });
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO update_job_events (job_id, sequence, step, message, progress, at) VALUES (@JobId, @Sequence, @step, @Message, @Progress, @at)",
            new { jobEvent.JobId, jobEvent.Sequence, step, jobEvent.Message, jobEvent.Progress, at },
            cancellationToken: cancellationToken));
        events.Publish(EventTypes.JobStep, hostId, new { jobId = jobEvent.JobId, hostId, step, message = jobEvent.Message, progress = jobEvent.Progress, verification = plan });
    }

    /// <summary>Records a job's outcome (once). The caller acknowledges it to the agent whatever this returns.</summary>
    public async Task OnResultAsync(string hostId, JobResult result, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var job = await connection.QuerySingleOrDefaultAsync<UpdateJobRow>(new CommandDefinition(
            "SELECT * FROM update_jobs WHERE id = @JobId AND host_id = @hostId",
            new { result.JobId, hostId },
            cancellationToken: cancellationToken));
        if (job is null)
        {
            Log.JobResultForUnknownJob(logger, result.JobId, hostId);
            return;
        }

        // A controller-side expiry is only a guess; the agent's result is the truth. Anything else finished is a re-send.
        if (job.State == UpdateMapper.Finished && job.ReasonCode != "expired")
        {
            // The controller may have stopped between recording the result and acting on it: act now (both are idempotent).
            await AfterFinishedAsync(job, job.Outcome ?? "", job.FromImageId, job.ToImageId, cancellationToken);
            return;
        }

        using var activity = JobTracing.StartResult(job, result);
        var outcome = UpdateMapper.Name(result.Outcome);
        var started = result.StartedAt?.ToDateTimeOffset();
        var finished = result.FinishedAt?.ToDateTimeOffset() ?? timeProvider.GetUtcNow();
        var duration = started is { } s ? (long)(finished - s).TotalMilliseconds : (long?)null;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE update_jobs SET state = 'finished', outcome = @outcome, reason = @Reason, reason_code = @ReasonCode,
                from_image_id = COALESCE(@FromImageId, from_image_id), from_digest = @FromDigest,
                to_image_id = @ToImageId, to_digest = @ToDigest, result_container_id = @ContainerId,
                steps = @steps, recovered = @recovered, accepted_at = COALESCE(accepted_at, @started),
                started_at = @started, finished_at = @finished, duration_ms = @duration, progress = NULL
            WHERE id = @JobId AND host_id = @hostId
            """,
            new
            {
                result.JobId,
                hostId,
                outcome,
                Reason = UpdateMapper.NullIfEmpty(result.Reason),
                ReasonCode = UpdateMapper.NullIfEmpty(result.ReasonCode),
                FromImageId = UpdateMapper.NullIfEmpty(result.FromImageId),
                FromDigest = UpdateMapper.NullIfEmpty(result.FromDigest),
                ToImageId = UpdateMapper.NullIfEmpty(result.ToImageId),
                ToDigest = UpdateMapper.NullIfEmpty(result.ToDigest),
                ContainerId = UpdateMapper.NullIfEmpty(result.ContainerId),
                steps = UpdateMapper.StepsJson(result.Steps),
                recovered = result.Recovered ? 1 : 0,
                started = DbTime.ToText(started),
                finished = DbTime.ToText(finished),
                duration,
            },
            transaction,
            cancellationToken: cancellationToken));

        var blocks = job.Kind == "update" && result.Outcome is JobOutcome.RolledBack or JobOutcome.Failed
            && BlockingReasons.Contains(result.ReasonCode) && result.ToDigest.Length > 0;
        if (blocks)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO blocked_digests (host_id, container_name, digest, job_id, reason, blocked_at)
                VALUES (@hostId, @ContainerName, @ToDigest, @JobId, @ReasonCode, @at)
                ON CONFLICT DO NOTHING
                """,
                new { hostId, job.ContainerName, result.ToDigest, result.JobId, result.ReasonCode, at = DbTime.ToText(timeProvider.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);

        if (job.ReasonCode != "expired")
        {
            ControllerMetrics.UpdateJobs.WithLabels(outcome).Inc();
        }

        if (result.Outcome == JobOutcome.RolledBack)
        {
            ControllerMetrics.UpdateRollbacks.WithLabels(result.ReasonCode.Length > 0 ? result.ReasonCode : "unknown").Inc();
        }

        if (duration is { } ms)
        {
            ControllerMetrics.UpdateJobDuration.WithLabels(outcome).Observe(ms / 1000.0);
        }

        Log.JobFinished(logger, result.JobId, hostId, job.ContainerName, outcome, result.Reason);
        events.Publish(EventTypes.JobFinished, hostId, new
        {
            jobId = result.JobId, hostId, containerName = job.ContainerName, kind = job.Kind, trigger = job.Trigger, outcome,
            reasonCode = UpdateMapper.NullIfEmpty(result.ReasonCode), reason = UpdateMapper.NullIfEmpty(result.Reason),
            toDigest = UpdateMapper.NullIfEmpty(result.ToDigest), durationMs = duration,
            cause = job.Cause, causedByJobId = job.CausedByJobId,
        });
        if (blocks)
        {
            Log.DigestBlocked(logger, result.ToDigest, job.ContainerName, hostId, result.ReasonCode);
        }

        await AfterFinishedAsync(job, outcome, UpdateMapper.NullIfEmpty(result.FromImageId) ?? job.FromImageId, UpdateMapper.NullIfEmpty(result.ToImageId), cancellationToken);
    }

    /// <summary>What a finished job sets off: the restart that waited for it, and restarts of the dependents of a replaced container.</summary>
    private async Task AfterFinishedAsync(UpdateJobRow job, string outcome, string? fromImageId, string? toImageId, CancellationToken cancellationToken)
    {
        try
        {
            await updates.ReleaseAfterAsync(job.HostId, job.Id, cancellationToken);
            await restarts.AfterJobAsync(job, outcome, fromImageId, toImageId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The result is recorded whatever happens here; the agent's re-sent result (or the next one) tries again.
            Log.AfterJobFailed(logger, e, job.Id);
        }
    }
}
