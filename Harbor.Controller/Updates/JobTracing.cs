using System.Diagnostics;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Updates;

/// <summary>
/// The controller's spans of an update job. The trace context of <c>update_job.create</c> is stored
/// with the job, so the command (also when sent again after a reconnect) and the recorded result join
/// the trace of the API call that started it; the agent continues it from the command's <c>trace</c>.
/// </summary>
internal static class JobTracing
{
    public static readonly ActivitySource Source = new(HarborTelemetry.ControllerUpdatesSource);

    /// <summary>A child of the current activity (the API request, or a schedule's own span).</summary>
    public static Activity? StartCreate(string kind, string trigger, string hostId, string container, string targetImage)
    {
        var activity = Source.StartActivity("update_job.create");
        activity?.SetTag("harbor.job.kind", kind);
        activity?.SetTag("harbor.job.trigger", trigger);
        activity?.SetTag("harbor.host.id", hostId);
        activity?.SetTag("harbor.container.name", container);
        activity?.SetTag("harbor.job.target_image", targetImage);
        return activity;
    }

    public static Activity? StartSend(UpdateJobRow job, string agentId)
    {
        var activity = Source.StartActivity("update_job.send", ActivityKind.Producer, Parent(job));
        activity?.SetTag("harbor.job.id", job.Id);
        activity?.SetTag("harbor.agent.id", agentId);
        return activity;
    }

    /// <summary>Recording a result: in the job's trace, linked to the agent's span that produced it.</summary>
    public static Activity? StartResult(UpdateJobRow job, JobResult result)
    {
        var agentSpan = HarborTelemetry.Parent(result.Trace?.Traceparent, result.Trace?.Tracestate);
        var activity = Source.StartActivity(
            "update_job.result", ActivityKind.Consumer, Parent(job),
            links: agentSpan == default ? null : [new ActivityLink(agentSpan)]);
        activity?.SetTag("harbor.job.id", job.Id);
        activity?.SetTag("harbor.job.outcome", UpdateMapper.Name(result.Outcome));
        if (result.ReasonCode.Length > 0)
        {
            activity?.SetTag("harbor.job.reason_code", result.ReasonCode);
        }

        if (result.Outcome is JobOutcome.Failed or JobOutcome.RolledBack)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Reason);
        }

        return activity;
    }

    /// <summary>The context to hand to the agent: the send span's, else the job's stored one.</summary>
    public static TraceContext? ToWire(Activity? send, UpdateJobRow job)
    {
        var (parent, state) = send is not null ? HarborTelemetry.Capture(send) : (job.TraceParent, job.TraceState);
        return parent is null ? null : new TraceContext { Traceparent = parent, Tracestate = state ?? "" };
    }

    /// <summary>The trace id of a stored traceparent, for the API (find the job's trace in the dashboard).</summary>
    public static string? TraceId(string? traceParent) =>
        HarborTelemetry.Parent(traceParent, null) is { } context && context != default ? context.TraceId.ToHexString() : null;

    private static ActivityContext Parent(UpdateJobRow job) => HarborTelemetry.Parent(job.TraceParent, job.TraceState);
}
