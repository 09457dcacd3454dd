using Grpc.Core;

namespace Harbor.Controller.Agents;

/// <summary>
/// Decides whether a stream comes from a genuine agent. The single seam that agent enrollment with
/// per-agent credentials and pinned TLS replaces.
/// </summary>
internal interface IAgentAuthenticator
{
    /// <summary>Returns null when the caller is authenticated, else the reason it is not.</summary>
    string? Authenticate(ServerCallContext context);
}
