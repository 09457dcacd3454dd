using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Observability;

/// <summary>An update deployment (real registry, controller, agent binary, engine) whose two services export their traces to one OTLP receiver.</summary>
public sealed class TracedDeployment : IAsyncLifetime
{
    public OtlpReceiver Receiver { get; private set; } = null!;

    public UpdateDeployment Stack { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        Receiver = await OtlpReceiver.StartAsync();
        Stack = new UpdateDeployment(Receiver.ExporterSettings("harbor-controller"), Receiver.ExporterSettings("harbor-agent"));
        await Stack.InitializeAsync();
    }

    /// <summary>Waits until the spans of one trace include the controller's result span and the agent's job span, then returns them all.</summary>
    public Task<List<ReceivedSpan>> WaitForTraceAsync(string traceId) =>
        Eventually.GetAsync(
            () => Task.FromResult(Receiver.Spans.Where(s => s.TraceId == traceId).ToList()),
            spans => spans.Any(s => s.Name == "update_job.result") && spans.Any(s => s.Name == "update_job.run"),
            TimeSpan.FromSeconds(30),
            $"the controller and the agent export the spans of trace {traceId}");

    public async ValueTask DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }
}
