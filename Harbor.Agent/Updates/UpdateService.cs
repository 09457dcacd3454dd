using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Inventory;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Updates;

/// <summary>
/// Takes update commands from the controller and runs them: at most once per job id (a known job id
/// answers with its recorded result), one job per container at a time, at most
/// <see cref="UpdateOptions.MaxConcurrentJobs"/> at once, and never before start-up recovery has
/// finished every job the journal shows as interrupted.
/// </summary>
internal sealed class UpdateService(
    JobJournal journal,
    UpdateExecutor executor,
    RestartExecutor restarts,
    JournalRecovery recovery,
    InventoryTracker tracker,
    JobOutbox outbox,
    IOptions<UpdateOptions> options,
    TimeProvider timeProvider,
    ILogger<UpdateService> logger) : BackgroundService
{
    private readonly Channel<QueuedJob> queue = Channel.CreateBounded<QueuedJob>(new BoundedChannelOptions(1000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> busyContainers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once start-up recovery is done.</summary>
    public Task Recovered => recovered.Task;

    /// <summary>Called from the stream's read loop: decides quickly, never blocks.</summary>
    public void Accept(UpdateCommand command) =>
        Accept(new QueuedJob(command.JobId, command.ContainerId, command, null), () => UpdateCommandValidator.Validate(command));

    /// <summary>A restart job: same at-most-once rules, same per-container exclusion and slots as updates.</summary>
    public void Accept(RestartCommand command) =>
        Accept(new QueuedJob(command.JobId, command.ContainerId, null, command), () => UpdateCommandValidator.Validate(command));

    private void Accept(QueuedJob command, Func<string?> validate)
    {
        if (!UpdateCommandValidator.IsValidJobId(command.JobId))
        {
            // Without a usable id there is nothing to journal; answer once, refused.
            outbox.Publish(new JobResult
            {
                JobId = command.JobId,
                Outcome = JobOutcome.Refused,
                ReasonCode = "invalid_command",
                Reason = validate() ?? "Invalid job id.",
                ContainerId = command.ContainerId,
            });
            return;
        }

        if (journal.Find(command.JobId) is { } known)
        {
            Log.JobReplayed(logger, command.JobId, known.IsFinished);
            if (known.IsFinished)
            {
                outbox.Publish(JobReporter.Result(known));
            }

            return;
        }

        if (!pending.TryAdd(command.JobId, 0))
        {
            Log.JobReplayed(logger, command.JobId, false);
            return;
        }

        if (!queue.Writer.TryWrite(command))
        {
            pending.TryRemove(command.JobId, out _);
            Log.JobQueueFull(logger, command.JobId);
            return;
        }

        // Taken, though it may wait for a slot (or for recovery): the controller stops counting towards expiry.
        outbox.Publish(new JobEvent
        {
            JobId = command.JobId,
            Step = JobStep.Accepted,
            Message = "queued",
            At = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (FaultInjection.KillAt is { } step)
        {
            Log.FaultInjectionArmed(logger, FaultInjection.Variable, step);
        }

        try
        {
            await WaitForEngineAsync(stoppingToken);
            await recovery.RecoverAsync(stoppingToken);
            journal.Prune();
            recovered.TrySetResult();

            using var slots = new SemaphoreSlim(options.Value.MaxConcurrentJobs);
            await foreach (var command in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running[command.JobId] = RunAsync(command, slots, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Running jobs see the same token and roll back (or leave it to the next start's recovery).
            await Task.WhenAll(running.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(QueuedJob queued, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (queued.Restart is { } restart)
        {
            var restartJob = RestartJob(restart);
            await RunJobAsync(restartJob, UpdateCommandValidator.Validate(restart), "working on",
                () => restarts.RunAsync(restartJob, cancellationToken), slots, cancellationToken);
            return;
        }

        var command = queued.Update!;
        var job = UpdateJob(command);
        await RunJobAsync(job, UpdateCommandValidator.Validate(command), "updating",
            () => executor.RunAsync(job, command.RegistryAuth, cancellationToken), slots, cancellationToken);
    }

    private JobRecord UpdateJob(UpdateCommand command) => new()
    {
        JobId = command.JobId,
        ContainerId = command.ContainerId,
        TargetImage = command.TargetImage,
        TargetTag = command.TargetTag.Length == 0 ? null : command.TargetTag,
        Rollback = command.RollbackToPrevious,
        StabilityWindowMs = command.Verify?.StabilityWindowMs ?? 0,
        HealthTimeoutCapMs = command.Verify?.HealthTimeoutCapMs ?? 0,
        HttpProbeUrl = command.Verify?.HttpProbeUrl is { Length: > 0 } url ? url : null,
        IssuedAt = command.IssuedAt?.ToDateTimeOffset(),
        TraceParent = command.Trace?.Traceparent is { Length: > 0 } parent ? parent : null,
        TraceState = command.Trace?.Tracestate is { Length: > 0 } state ? state : null,
        AcceptedAt = timeProvider.GetUtcNow(),
        Strategy = command.Strategy.Length == 0 ? null : command.Strategy,
    };

    private JobRecord RestartJob(RestartCommand command) => new()
    {
        JobId = command.JobId,
        Kind = JobRecord.RestartKind,
        Cause = command.Reason.Length == 0 ? null : command.Reason,
        ContainerId = command.ContainerId,
        TargetImage = "",
        StabilityWindowMs = command.Verify?.StabilityWindowMs ?? 0,
        HealthTimeoutCapMs = command.Verify?.HealthTimeoutCapMs ?? 0,
        HttpProbeUrl = command.Verify?.HttpProbeUrl is { Length: > 0 } url ? url : null,
        IssuedAt = command.IssuedAt?.ToDateTimeOffset(),
        TraceParent = command.Trace?.Traceparent is { Length: > 0 } parent ? parent : null,
        TraceState = command.Trace?.Tracestate is { Length: > 0 } state ? state : null,
        AcceptedAt = timeProvider.GetUtcNow(),
    };

    /// <summary>
    /// What every job kind goes through: journaled once (a repeated id is ignored), refused when invalid or when
    /// another job holds the container, executed, and always released. An agent stopping or a bug leaves the job
    /// unfinished in the journal, so the next start's recovery decides.
    /// </summary>
    private async Task RunJobAsync(JobRecord job, string? invalid, string busyDoing, Func<Task> execute, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var ownsContainer = false;
        AgentMetrics.UpdateJobsRunning.Inc();
        try
        {
            if (!await journal.TryAddAsync(job, cancellationToken))
            {
                return;
            }

            using var activity = JobTracing.StartJob(job, JobTracing.RunName);
            var run = new JobRun(job, new JobReporter(job, outbox, timeProvider));
            if (invalid is not null)
            {
                await executor.FinishAsync(run, JobOutcome.Refused, "invalid_command", invalid, job.ContainerId);
                return;
            }

            ownsContainer = busyContainers.TryAdd(job.ContainerId, job.JobId);
            if (!ownsContainer)
            {
                await executor.FinishAsync(run, JobOutcome.Refused, "busy",
                    $"Job {busyContainers.GetValueOrDefault(job.ContainerId)} is already {busyDoing} this container.", job.ContainerId);
                return;
            }

            await execute();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Left unfinished in the journal on purpose: the next start recovers it.
        }
        catch (Exception e)
        {
            // A bug, not a job outcome: the journal keeps the job unfinished, so recovery decides at the next start.
            Log.JobCrashed(logger, e, job.JobId);
        }
        finally
        {
            Release(job, ownsContainer, slots);
        }
    }

    private void Release(JobRecord job, bool ownsContainer, SemaphoreSlim slots)
    {
        if (ownsContainer)
        {
            busyContainers.TryRemove(job.ContainerId, out _);
        }

        AgentMetrics.UpdateJobsRunning.Dec();
        pending.TryRemove(job.JobId, out _);
        running.TryRemove(job.JobId, out _);
        slots.Release();
    }

    /// <summary>A command waiting for a slot: exactly one of <see cref="Update"/> and <see cref="Restart"/>.</summary>
    private sealed record QueuedJob(string JobId, string ContainerId, UpdateCommand? Update, RestartCommand? Restart);

    private async Task WaitForEngineAsync(CancellationToken cancellationToken)
    {
        await tracker.WaitUntilReadyAsync(cancellationToken);
        while (!tracker.EngineStatus.Reachable)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
        }
    }
}
