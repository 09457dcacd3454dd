using System.Diagnostics;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>Runs one of the image scripts (eng/agent-image.sh, eng/controller-image.sh) as a user does.</summary>
internal static class ImageScript
{
    /// <summary>Builds the image under <paramref name="tag"/>, the script's files in <paramref name="output"/>; fails with the script's output.</summary>
    public static async Task BuildAsync(string script, string tag, string output)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { Path.Combine(RepositoryPaths.Root, "eng", script), "--tag", tag, "--output", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start eng/{script}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"eng/{script} did not finish in 15 minutes: " + await error);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/{script} failed ({process.ExitCode}):\n{await error}\n{await standardOutput}");
        }
    }
}
