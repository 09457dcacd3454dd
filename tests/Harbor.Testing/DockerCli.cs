using System.Diagnostics;
using System.Text;

namespace Harbor.Testing;

/// <summary>Runs the real <c>docker</c> CLI, the way a user would, against the engine the tests use.</summary>
public static class DockerCli
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Trimmed => Output.Trim();
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, string? standardInput = null, string? dockerHost = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (dockerHost is not null)
        {
            start.Environment["DOCKER_HOST"] = dockerHost;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start docker.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    public static Task<Result> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    /// <summary>Runs docker and throws with its stderr when it fails. Returns trimmed stdout.</summary>
    public static async Task<string> CheckedAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments, null);
        return result.ExitCode == 0
            ? result.Trimmed
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error.Trim()}");
    }

    public static async Task<string> CheckedWithInputAsync(string standardInput, params string[] arguments)
    {
        var result = await RunAsync(arguments, standardInput);
        return result.ExitCode == 0
            ? result.Trimmed
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error.Trim()}");
    }

    /// <summary>Removes every container carrying the label, ignoring errors (cleanup).</summary>
    public static async Task RemoveContainersWithLabelAsync(string label)
    {
        var ids = await RunAsync("ps", "-aq", "--filter", "label=" + label);
        var list = ids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length > 0)
        {
            await RunAsync(new[] { "rm", "-f" }.Concat(list), null);
        }
    }

    internal static string Describe(IEnumerable<string> arguments)
    {
        var text = new StringBuilder("docker");
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(argument);
        }

        return text.ToString();
    }
}
