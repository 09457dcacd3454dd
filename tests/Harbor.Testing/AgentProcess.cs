using System.Collections.Concurrent;
using System.Diagnostics;

namespace Harbor.Testing;

/// <summary>
/// The real agent binary as its own process, so tests can kill it the hard way. Its output is
/// kept for the failure message.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private AgentProcess(Process process, string stateDirectory)
    {
        this.process = process;
        StateDirectory = stateDirectory;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StateDirectory { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The agent's process id, e.g. for reading its memory use from /proc.</summary>
    public int ProcessId => process.Id;

    /// <summary>Waits for the process to end by itself (e.g. a fault-injection kill).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => process.WaitForExitAsync(cancellationToken);

    public string Output => string.Join('\n', output);

    /// <summary>Starts the agent binary; <paramref name="enrollmentToken"/> is what an operator would configure (null: none).</summary>
    public static AgentProcess Start(Uri controllerUrl, string stateDirectory, string? enrollmentToken, IDictionary<string, string>? environment = null)
    {
        var (program, arguments) = RepositoryPaths.AgentCommand;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Harbor__Agent__ControllerUrl"] = controllerUrl.ToString();
        if (enrollmentToken is not null)
        {
            start.Environment["Harbor__Agent__EnrollmentToken"] = enrollmentToken;
        }

        start.Environment["Harbor__Agent__StateDirectory"] = stateDirectory;
        start.Environment["Harbor__Agent__ReconnectMinDelay"] = "00:00:00.100";
        start.Environment["Harbor__Agent__ReconnectMaxDelay"] = "00:00:01";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the agent.");
        return new AgentProcess(process, stateDirectory);
    }

    /// <summary>SIGKILL: no graceful goodbye, the way a crash or OOM kill ends an agent.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 400 && output.TryDequeue(out _))
        {
        }
    }
}
