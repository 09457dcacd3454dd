using System.Diagnostics;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Updates;

/// <summary>
/// The agent's spans of an update job: <c>update_job.run</c> (or <c>update_job.recover</c> after a
/// restart) as a child of the controller span named in the command's <c>trace</c>, and one child span
/// per step. The parent is journaled with the job, so recovery continues the same trace.
/// </summary>
internal static class JobTracing
{
    public const string RunName = "update_job.run";
    public const string RecoverName = "update_job.recover";

    public static readonly ActivitySource Source = new(HarborTelemetry.AgentUpdatesSource);

    public static Activity? StartJob(JobRecord job, string name)
    {
        // Never a child of whatever is ambient (e.g. the long-lived stream's span): the job's parent is the controller's.
        Activity.Current = null;
        var activity = Source.StartActivity(name, ActivityKind.Consumer, HarborTelemetry.Parent(job.TraceParent, job.TraceState));
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("harbor.job.id", job.JobId);
        activity.SetTag("harbor.container.id", job.ContainerId);
        activity.SetTag("harbor.job.target_image", job.TargetImage);
        activity.SetTag("harbor.job.rollback", job.Rollback);
        lock (job)
        {
            job.RunTraceParent = activity.Id;
        }

        return activity;
    }

    public static Activity? StartStep(JobStep step)
    {
        var activity = Source.StartActivity("update_job." + FaultInjection.StepName(step));
        activity?.SetTag("harbor.job.step", FaultInjection.StepName(step));
        return activity;
    }

    /// <summary>Marks the job's span with its outcome (the job span is the current activity or one of its parents).</summary>
    public static void Finished(JobOutcome outcome, string code, string reason)
    {
        var job = Activity.Current;
        while (job is not null && !(job.Source == Source && job.OperationName is RunName or RecoverName))
        {
            job = job.Parent;
        }

        if (job is null)
        {
            return;
        }

        job.SetTag("harbor.job.outcome", UpdateExecutor.OutcomeName(outcome));
        if (code.Length > 0)
        {
            job.SetTag("harbor.job.reason_code", code);
        }

        if (outcome is JobOutcome.Failed or JobOutcome.RolledBack)
        {
            job.SetStatus(ActivityStatusCode.Error, reason);
        }
    }

    /// <summary>The current job or step span on the wire, so reports link back to it; null outside a job.</summary>
    public static TraceContext? Current() =>
        Activity.Current is { } activity && activity.Source == Source ? Wire(activity.Id, activity.TraceStateString) : null;

    public static TraceContext? Wire(string? traceParent, string? traceState) =>
        string.IsNullOrEmpty(traceParent) ? null : new TraceContext { Traceparent = traceParent, Tracestate = traceState ?? "" };
}
