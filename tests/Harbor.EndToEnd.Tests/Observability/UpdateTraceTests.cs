using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Observability;

/// <summary>
/// One update is one trace, as an operator sees it in the Aspire dashboard: the API request, the
/// controller's job spans and the agent process's job and step spans, exported over OTLP by the two
/// real processes and joined only by the trace context carried in the stream's messages.
/// </summary>
public sealed class UpdateTraceTests(TracedDeployment traced) : IClassFixture<TracedDeployment>
{
    private static readonly object QuickVerify = new { stabilityWindowSeconds = 2 };
    private UpdateDeployment Stack => traced.Stack;

    [Fact]
    public async Task Update_OneJob_IsOneTraceFromTheApiCallThroughEveryAgentStep()
    {
        var release = await Stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("traced");
        await Stack.RunAsync(name, release.OldTag);

        var job = await Stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.NotNull(job.TraceId);
        var spans = await traced.WaitForTraceAsync(job.TraceId);
        var trace = string.Join('\n', spans);

        // Controller: POST /update (ASP.NET Core) → update_job.create → update_job.send, and the result recorded in the same trace.
        var request = Assert.Single(spans, s => s.Scope == "Microsoft.AspNetCore");
        var create = Assert.Single(spans, s => s.Name == "update_job.create");
        var send = Assert.Single(spans, s => s.Name == "update_job.send");
        var result = Assert.Single(spans, s => s.Name == "update_job.result");
        Assert.All([request, create, send, result], s => Assert.Equal("harbor-controller", s.Service));
        Assert.Equal(request.SpanId, create.ParentSpanId);
        Assert.Equal(create.SpanId, send.ParentSpanId);
        Assert.Equal(job.Id, create.Attribute("harbor.job.id"));
        Assert.Equal("succeeded", result.Attribute("harbor.job.outcome"));

        // Agent (another process): its job span is the child of the controller's send span, each step a child of the job span.
        var run = Assert.Single(spans, s => s.Name == "update_job.run");
        Assert.Equal("harbor-agent", run.Service);
        Assert.Equal(HarborAgentSource, run.Scope);
        Assert.True(send.SpanId == run.ParentSpanId, trace);
        Assert.Equal(job.Id, run.Attribute("harbor.job.id"));
        Assert.Equal("succeeded", run.Attribute("harbor.job.outcome"));
        var steps = spans.Where(s => s.Scope == HarborAgentSource && s.ParentSpanId == run.SpanId)
            .OrderBy(s => s.Span.StartTimeUnixNano).ToList();
        Assert.Equal(job.Steps.Select(s => "update_job." + s.Step), steps.Select(s => s.Name));
        Assert.DoesNotContain(steps, s => s.IsError);

        // The recorded result links back to the agent's job span.
        var link = Assert.Single(result.Span.Links);
        Assert.Equal(run.SpanId, Convert.ToHexStringLower(link.SpanId.Span));

        // Every step is also a structured log event with its own id (4011 JobStepFinished).
        foreach (var step in job.Steps)
        {
            Assert.Contains($"[4011] Update job {job.Id}: step {step.Step} done", Stack.Agent.Output);
        }
    }

    [Fact]
    public async Task Update_RolledBack_TraceShowsTheFailedStepAndTheRollback()
    {
        var release = await Stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.Exits);
        var name = TestNames.Unique("traced-broken");
        await Stack.RunAsync(name, release.OldTag);

        var job = await Stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "rolled_back", $"{job.Outcome}: {job.Reason}");
        var spans = await traced.WaitForTraceAsync(job.TraceId!);
        var run = Assert.Single(spans, s => s.Name == "update_job.run");
        Assert.True(run.IsError);
        Assert.Equal("exited", run.Attribute("harbor.job.reason_code"));
        Assert.True(Assert.Single(spans, s => s.Name == "update_job.verify").IsError);
        var rollback = Assert.Single(spans, s => s.Name == "update_job.rollback");
        Assert.Equal(run.SpanId, rollback.ParentSpanId);
        Assert.False(rollback.IsError);
        Assert.True(Assert.Single(spans, s => s.Name == "update_job.result").IsError);
        Assert.Contains($"[4012] Update job {job.Id}: step verify failed", Stack.Agent.Output);
    }

    private const string HarborAgentSource = "Harbor.Agent.Updates";
}
