using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Harbor.Testing;

/// <summary>Small helpers for the Debian servers the tests start (Postfix, mosquitto).</summary>
public static class LocalProcess
{
    /// <summary>Runs a command to its end; throws with its error output when it fails.</summary>
    public static Task<string> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, null);

    /// <summary>Runs a command to its end with extra environment variables; throws with its error output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
    }

    /// <summary>Starts a long-running server whose output is kept (for the failure message when it does not come up).</summary>
    public static Process Start(string file, IEnumerable<string> arguments, List<string> output)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until something listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitForPortAsync(int port, Process process, List<string> output, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                string log;
                lock (output)
                {
                    log = string.Join('\n', output.TakeLast(30));
                }

                throw new InvalidOperationException($"{what} did not start listening on 127.0.0.1:{port}:\n{log}");
            }
        }
    }

    public static void RequireRoot(string what)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"{what} is started by the tests as root (as CI runs them); run the tests as root.");
        }
    }
}
