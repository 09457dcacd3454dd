using Grpc.Core;

namespace Harbor.Controller.Agents;

/// <summary>
/// Decides whether a stream comes from a genuine agent, and which one. Production: the client
/// certificate from enrollment (<c>Security/Enrollment/CertificateAgentAuthenticator</c>);
/// development only: the shared DevToken (<see cref="DevTokenAgentAuthenticator"/>).
/// </summary>
internal interface IAgentAuthenticator
{
    ValueTask<AgentAuthentication> AuthenticateAsync(ServerCallContext context);
}
