using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Updates;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Harbor.Bench;

/// <summary>
/// What tracing costs per update job: the spans one job produces (controller: create, send, result;
/// agent: run + 11 steps) and their W3C context on the wire, with no listener (tracing off), with the
/// OpenTelemetry SDK and a discarding exporter, and with the real OTLP/HTTP exporter to a local receiver.
/// A job itself takes seconds (pull, stop, start, verify), so the target is: under 1 % of that.
/// </summary>
internal static class TracingBenchmark
{
    private const int Jobs = 20_000;
    private static readonly ActivitySource AgentSource = new(HarborTelemetry.AgentUpdatesSource);
    private static readonly JobStep[] Steps =
    [
        JobStep.Check, JobStep.Pull, JobStep.Plan, JobStep.Tag, JobStep.StopOld, JobStep.RenameOld,
        JobStep.CreateNew, JobStep.StartNew, JobStep.Verify, JobStep.RemoveOld, JobStep.PruneImages,
    ];

    public static async Task RunAsync()
    {
        PrintWireSizes();

        Measure("tracing off (no listener)", null);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource([.. HarborTelemetry.ActivitySources])
            .AddProcessor(new SimpleActivityExportProcessor(new DiscardingExporter()))
            .Build())
        {
            Measure("OpenTelemetry SDK, discarding exporter", provider);
        }

        var received = 0L;
        await using var receiver = await StubHttpServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            Interlocked.Add(ref received, body.Length);
        });
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource([.. HarborTelemetry.ActivitySources])
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(receiver.BaseAddress, "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build())
        {
            Measure("OpenTelemetry SDK, OTLP/HTTP exporter", provider);
        }

        Console.WriteLine($"OTLP bytes received: {Interlocked.Read(ref received) / (double)Jobs:0} per job (14 spans)");
    }

    private static void Measure(string label, TracerProvider? provider)
    {
        // Warm up (JIT, pools), then measure.
        RunJobs(500);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < Jobs; done += 100)
        {
            // Flushing every 100 jobs (1,400 spans) keeps the batch queue (2,048) from dropping spans, and
            // counts the export work in the time.
            RunJobs(100);
            provider?.ForceFlush();
        }

        watch.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine($"{label,-42} {watch.Elapsed.TotalMicroseconds / Jobs,8:0.0} µs/job  {bytes / (double)Jobs,9:0} B allocated/job");
    }

    private static void RunJobs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            RunJob(i);
        }
    }

    /// <summary>One job's spans as the controller and the agent make them (the agent side mirrors Harbor.Agent/Updates/JobTracing).</summary>
    private static void RunJob(int i)
    {
        var job = new UpdateJobRow
        {
            Id = i.ToString("x16"),
            HostId = "host",
            ContainerId = "c",
            ContainerName = "web",
            Kind = "update",
            Trigger = "api",
            RequestedBy = "bench",
            TargetImage = "registry.local/app@sha256:" + new string('2', 64),
            State = "pending",
            CreatedAt = "2026-01-01T00:00:00.0000000Z",
        };
        TraceContext? wire;
        using (var create = JobTracing.StartCreate(job.Kind, job.Trigger, job.HostId, job.ContainerName, job.TargetImage))
        {
            var (parent, state) = HarborTelemetry.Capture(create);
            job = job with { TraceParent = parent, TraceState = state };
            using var send = JobTracing.StartSend(job, "agent");
            wire = JobTracing.ToWire(send, job);
        }

        string? runParent;
        using (var run = AgentSource.StartActivity("update_job.run", ActivityKind.Consumer, HarborTelemetry.Parent(wire?.Traceparent, wire?.Tracestate)))
        {
            run?.SetTag("harbor.job.id", job.Id);
            run?.SetTag("harbor.container.id", job.ContainerId);
            run?.SetTag("harbor.job.target_image", job.TargetImage);
            foreach (var step in Steps)
            {
                using var span = AgentSource.StartActivity("update_job.step");
                span?.SetTag("harbor.job.step", step.ToString());
            }

            run?.SetTag("harbor.job.outcome", "succeeded");
            runParent = run?.Id;
        }

        var result = new JobResult { JobId = job.Id, Outcome = JobOutcome.Succeeded, Trace = runParent is null ? null : new TraceContext { Traceparent = runParent } };
        using var recorded = JobTracing.StartResult(job, result);
    }

    private static void PrintWireSizes()
    {
        var command = new UpdateCommand
        {
            JobId = "0123456789abcdef",
            ContainerId = new string('c', 64),
            TargetImage = "registry.local/team/app@sha256:" + new string('2', 64),
            TargetTag = "registry.local/team/app:1",
            IssuedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        var jobEvent = new JobEvent { JobId = "0123456789abcdef", Sequence = 3, Step = JobStep.Pull, Message = "pulled 3 layer(s)", Progress = 1, At = Timestamp.FromDateTime(DateTime.UtcNow) };
        var trace = new TraceContext { Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
        var commandBefore = command.CalculateSize();
        var eventBefore = jobEvent.CalculateSize();
        command.Trace = trace;
        jobEvent.Trace = trace;
        Console.WriteLine($"wire: UpdateCommand {commandBefore} → {command.CalculateSize()} bytes, JobEvent {eventBefore} → {jobEvent.CalculateSize()} bytes " +
            $"(a job sends 1 command, ~25 events and 1 result: ~{(command.CalculateSize() - commandBefore) * 27} bytes more per job)");
    }

    private sealed class DiscardingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
