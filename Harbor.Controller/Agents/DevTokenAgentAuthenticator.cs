using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Agents;

/// <summary>
/// Development mode only (the Aspire AppHost): agents send the shared DevToken as
/// <c>authorization: Bearer …</c> over plain HTTP/2, compared in constant time. The token names no
/// agent, so any agent id is accepted; that is why this is refused outside Development.
/// </summary>
internal sealed class DevTokenAgentAuthenticator(IOptions<AgentHubOptions> options) : IAgentAuthenticator
{
    private readonly byte[] expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.DevToken!.Trim()));

    public ValueTask<AgentAuthentication> AuthenticateAsync(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        if (string.IsNullOrEmpty(header) || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(AgentAuthentication.Refused("No dev token was presented (authorization: Bearer <Harbor:Agent:DevToken>)."));
        }

        // Hash both sides so the comparison takes the same time whatever the length of the guess.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash)
            ? AgentAuthentication.AnyAgent
            : AgentAuthentication.Refused("The dev token is not valid for this controller."));
    }
}
