using Grpc.Core;

namespace Harbor.Agent.Connection;

/// <summary>
/// How the agent proves who it is to the controller: the one seam the enrollment/TLS work replaces.
/// </summary>
internal interface IControllerCredentials
{
    Metadata CreateCallHeaders();
}
