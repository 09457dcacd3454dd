using Microsoft.AspNetCore.Antiforgery;

namespace Harbor.Controller.Web;

/// <summary>
/// The UI's writes carry no <c>X-Harbor-Csrf</c> header (a browser form cannot send one) and are
/// protected otherwise: form posts by ASP.NET Core antiforgery (validated by UseAntiforgery), the
/// Blazor circuit by its connection handshake, which needs component descriptors only a same-origin
/// page can read.
/// </summary>
internal static class WebCsrf
{
    public const string CircuitPath = "/_blazor";

    public static bool IsProtectedByTheUi(HttpContext context) =>
        context.Request.Path.StartsWithSegments(CircuitPath)
        || context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true };
}
