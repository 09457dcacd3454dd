using System.Diagnostics;
using System.Globalization;
using Harbor.Testing;

namespace Harbor.Bench;

/// <summary>A Harbor service binary (controller or agent) as its own process, so its memory can be read from /proc.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServiceProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public static ServiceProcess Start(string project, IDictionary<string, string> environment)
    {
        // The agent can be its NativeAOT publish (HARBOR_AGENT_EXECUTABLE), to measure what the image ships.
        var (program, arguments) = project == "Harbor.Agent"
            ? RepositoryPaths.AgentCommand
            : ("dotnet", [Path.Combine(RepositoryPaths.Root, project, "bin", RepositoryPaths.Configuration, "net10.0", project + ".dll")]);
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[{project}] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process);
    }

    /// <summary>Resident set size now, and its peak (VmHWM), in MiB.</summary>
    public (double Current, double Peak) MemoryMiB()
    {
        double Read(string field)
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kb / 1024;
        }

        return (Read("VmRSS"), Read("VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
