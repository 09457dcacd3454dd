using Microsoft.AspNetCore.Authorization;

namespace Harbor.Controller.Web;

/// <summary>
/// What the UI serves to anyone: its static files (scripts, styles; no data) and the sign-in page.
/// Every page with data needs a session; a browser without one is redirected to sign in.
/// </summary>
internal static class WebPublicEndpoints
{
    public static bool IsPublic(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
}
