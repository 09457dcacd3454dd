using Harbor.Controller.Agents;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Enrollment;

/// <summary>
/// <c>Harbor:Controller:Agents:LocalAgentTokenFile</c>: an enrollment token for the agent beside the
/// controller, written at start so that <c>docker compose up</c> brings up both with no token copied by hand.
/// It is an ordinary single-use token (listed on the Hosts page, revocable, expiring with
/// Harbor:Security:EnrollmentTokenLifetime), in a file only its owner can read. A file whose token is still
/// pending, or was used (the agent enrolled and keeps its own certificate), is left alone, so restarts do
/// not mint standing tokens; one whose token expired, was revoked or is unknown here is replaced.
/// </summary>
internal sealed class LocalAgentTokenFile(AgentEnrollment enrollment, IOptions<AgentHubOptions> options, ILogger<LocalAgentTokenFile> logger) : IHostedService
{
    public const string Description = "local agent (Harbor:Controller:Agents:LocalAgentTokenFile)";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.LocalAgentTokenFile;
        if (string.IsNullOrWhiteSpace(path) || options.Value.DevMode)
        {
            return;
        }

        path = Path.GetFullPath(path);
        if (File.Exists(path) && TokenId(await File.ReadAllTextAsync(path, cancellationToken)) is { } id
            && (await enrollment.ListTokensAsync(cancellationToken)).FirstOrDefault(t => t.Id == id) is { Status: "pending" or "used" } kept)
        {
            Log.LocalAgentTokenKept(logger, path, kept.Id, kept.Status);
            return;
        }

        var created = await enrollment.CreateTokenAsync(Description, lifetime: null, createdBy: null, cancellationToken);
        try
        {
            Write(path, created.Token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Stop at start-up with the setting's name: a local agent waiting for a file that never comes says less.
            await enrollment.RevokeTokenAsync(created.Id, "system:controller", cancellationToken);
            throw new InvalidOperationException(
                $"Harbor:Controller:Agents:LocalAgentTokenFile: cannot write the local agent's enrollment token to {path}: {e.Message} " +
                "(the directory must exist or be creatable, and be writable by the controller's user; in the image that is uid 10001).", e);
        }

        Log.LocalAgentTokenWritten(logger, path, created.Id, created.ExpiresAt);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The id part of <c>hbe1.{id}.{secret}.{fingerprint}</c>; null for anything else.</summary>
    private static string? TokenId(string text) =>
        text.Trim().Split('.') is [EnrollmentTokenFormat.Prefix, var id, _, _] ? id : null;

    /// <summary>Owner-only, and whole or not at all: the agent may read it at any moment.</summary>
    private static void Write(string path, string token)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var writer = new StreamWriter(new FileStream(temporary, fileOptions)))
        {
            writer.Write(token);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
