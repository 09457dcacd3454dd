using System.Security.Cryptography;
using Harbor.Agent.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>
/// The agent's stable id, created once and kept in its state directory, so that a restarted agent
/// is the same host to the controller.
/// </summary>
internal sealed class AgentIdentity
{
    public const string FileName = "agent-id";

    public AgentIdentity(IOptions<AgentOptions> options, ILogger<AgentIdentity> logger)
    {
        StateDirectory = options.Value.ResolveStateDirectory();
        AgentId = LoadOrCreate(StateDirectory);
        Log.AgentIdentityLoaded(logger, AgentId, StateDirectory);
    }

    public string AgentId { get; }

    public string StateDirectory { get; }

    internal static string LoadOrCreate(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (!IsValid(existing))
            {
                throw new InvalidOperationException(
                    $"The agent id in {path} is not valid ('{existing}'). Delete the file to let the agent create a new identity.");
            }

            return existing;
        }

        var created = "agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        // Write-then-rename so a crash never leaves a half-written identity.
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(created);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return created;
    }

    /// <summary>The same rule the controller enforces on Hello.agent_id.</summary>
    public static bool IsValid(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
