using Google.Protobuf.WellKnownTypes;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Updates;

/// <summary>Streams one job's progress as numbered <see cref="JobEvent"/>s, throttling pull progress.</summary>
internal sealed class JobReporter(JobRecord job, JobOutbox outbox, TimeProvider timeProvider)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private uint sequence;
    private long lastProgressAt;

    public void Event(JobStep step, string message, double progress = 0) => Publish(step, message, progress, verification: null);

    /// <summary>A verification phase starts: what it waits for and how long, so the job page can count down.</summary>
    public void Verifying(VerificationPlan plan, string message) => Publish(JobStep.Verify, message, 0, plan);

    private void Publish(JobStep step, string message, double progress, VerificationPlan? verification) =>
        outbox.Publish(new JobEvent
        {
            JobId = job.JobId,
            Sequence = Interlocked.Increment(ref sequence),
            Step = step,
            Progress = progress,
            Message = message,
            At = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Trace = JobTracing.Current(),
            Verification = verification,
        });

    /// <summary>At most two progress events a second; the step's own start and end events are not throttled.</summary>
    public void Progress(JobStep step, string message, double progress)
    {
        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref lastProgressAt);
        if (last != 0 && timeProvider.GetElapsedTime(last, now) < ProgressInterval)
        {
            return;
        }

        Interlocked.Exchange(ref lastProgressAt, now);
        Event(step, message, progress);
    }

    /// <summary>The journal's record of a finished job as the wire result.</summary>
    public static JobResult Result(JobRecord job)
    {
        lock (job)
        {
            var result = new JobResult
            {
                JobId = job.JobId,
                Outcome = job.Outcome ?? JobOutcome.Unspecified,
                Reason = job.Reason ?? "",
                ReasonCode = job.ReasonCode ?? "",
                FromImageId = job.OldImageId ?? "",
                FromDigest = job.FromDigest ?? "",
                ToImageId = job.ToImageId ?? "",
                ToDigest = job.ToDigest ?? "",
                ContainerId = job.FinalContainerId ?? job.ContainerId,
                ContainerName = job.ContainerName ?? "",
                StartedAt = Timestamp.FromDateTimeOffset(job.AcceptedAt),
                FinishedAt = Timestamp.FromDateTimeOffset(job.FinishedAt ?? job.AcceptedAt),
                Recovered = job.Recovered,
                Trace = JobTracing.Wire(job.RunTraceParent, job.TraceState),
            };
            foreach (var step in job.Steps)
            {
                var timing = new JobStepTiming
                {
                    Step = step.Step,
                    StartedAt = Timestamp.FromDateTimeOffset(step.StartedAt),
                    Error = step.Error ?? "",
                    Message = step.Message ?? "",
                };
                if (step.FinishedAt is { } finished)
                {
                    timing.FinishedAt = Timestamp.FromDateTimeOffset(finished);
                }

                result.Steps.Add(timing);
            }

            return result;
        }
    }
}
