using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Authorization;

/// <summary>
/// The scheme health probes get: it never looks at a credential, so <c>/health</c> and <c>/alive</c> answer
/// from their checks alone even while the database (which every credential check needs) is down.
/// </summary>
internal sealed class ProbeAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HarborProbe";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
}
