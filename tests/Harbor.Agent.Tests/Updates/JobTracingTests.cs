using System.Diagnostics;
using Harbor.Agent.Journal;
using Harbor.Agent.Updates;
using Microsoft.Extensions.Hosting;

namespace Harbor.Agent.Tests.Updates;

/// <summary>The agent continues the controller's trace from the command, and a bad trace context never stops a job.</summary>
public sealed class JobTracingTests : IDisposable
{
    private const string ControllerSpan = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name == HarborTelemetry.AgentUpdatesSource,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public JobTracingTests() => ActivitySource.AddActivityListener(listener);

    [Fact]
    public void StartJob_WithTheControllersContext_IsItsChild_AndIgnoresTheAmbientSpan()
    {
        using var ambient = new Activity("stream").Start();
        var job = Job(ControllerSpan, "vendor=1");

        using var activity = JobTracing.StartJob(job, JobTracing.RunName);

        Assert.NotNull(activity);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", activity.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", activity.ParentSpanId.ToHexString());
        Assert.Equal("vendor=1", activity.TraceStateString);
        Assert.Equal(activity.Id, job.RunTraceParent);
        Assert.Equal(activity.Id, JobTracing.Current()!.Traceparent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    public void StartJob_MissingOrMalformedContext_StartsANewTrace(string? traceParent)
    {
        using var ambient = new Activity("stream").Start();
        var job = Job(traceParent, null);

        using var activity = JobTracing.StartJob(job, JobTracing.RunName);

        Assert.NotNull(activity);
        Assert.Null(activity.Parent);
        Assert.Equal(default, activity.ParentSpanId);
        Assert.NotEqual(ambient.TraceId, activity.TraceId);
    }

    [Fact]
    public void Finished_RolledBack_MarksTheJobSpanAsAnErrorFromInsideAStep()
    {
        using var job = JobTracing.StartJob(Job(ControllerSpan, null), JobTracing.RunName)!;
        using (JobTracing.StartStep(Protos.Agent.V1.JobStep.Rollback))
        {
            JobTracing.Finished(Protos.Agent.V1.JobOutcome.RolledBack, "exited", "The new container exited with code 3.");
        }

        Assert.Equal(ActivityStatusCode.Error, job.Status);
        Assert.Equal("exited", job.GetTagItem("harbor.job.reason_code"));
        Assert.Equal("rolled_back", job.GetTagItem("harbor.job.outcome"));
    }

    private static JobRecord Job(string? traceParent, string? traceState) => new()
    {
        JobId = "job-1",
        ContainerId = new string('c', 64),
        TargetImage = "registry.local/app@sha256:" + new string('2', 64),
        TraceParent = traceParent,
        TraceState = traceState,
    };

    public void Dispose() => listener.Dispose();
}
