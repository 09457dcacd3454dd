using System.Net.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>Development mode (the Aspire AppHost): the shared DevToken as <c>authorization: Bearer …</c> over plain HTTP/2.</summary>
internal sealed class DevTokenCredentials(IOptions<AgentOptions> options) : IControllerCredentials
{
    public Task EnsureReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Metadata CreateCallHeaders() => new() { { "authorization", "Bearer " + options.Value.DevToken!.Trim() } };

    public void ConfigureTls(SslClientAuthenticationOptions tls)
    {
        // Development mode has no TLS.
    }
}
