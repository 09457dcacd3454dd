using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Agents;

/// <summary>Checks the shared agent token sent as <c>authorization: Bearer …</c>, in constant time.</summary>
internal sealed class SharedTokenAuthenticator : IAgentAuthenticator
{
    public const string TokenFileName = "agent-token";
    private readonly byte[] expectedHash;

    public SharedTokenAuthenticator(IOptions<AgentHubOptions> hubOptions, IOptions<DataOptions> dataOptions, ILogger<SharedTokenAuthenticator> logger)
    {
        var token = hubOptions.Value.Token;
        if (string.IsNullOrWhiteSpace(token))
        {
            var path = Path.Combine(dataOptions.Value.ResolveDataDirectory(), TokenFileName);
            token = LoadOrCreateTokenFile(path);
            Log.GeneratedAgentToken(logger, path);
        }

        expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
    }

    public string? Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrEmpty(header))
        {
            return "No agent token was presented (authorization: Bearer <token>).";
        }

        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "The authorization header must use the Bearer scheme.";
        }

        // Hash both sides so the comparison takes the same time whatever the length of the guess.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash)
            ? null
            : "The agent token is not valid for this controller.";
    }

    private static string LoadOrCreateTokenFile(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }

        return token;
    }
}
