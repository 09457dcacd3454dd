using Harbor.Controller.Web;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Extensions;

/// <summary>Registers and maps the web UI (Blazor, interactive server rendering) served at <c>/</c>.</summary>
internal static class WebExtensions
{
    public static IHostApplicationBuilder AddHarborWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        if (builder is WebApplicationBuilder web)
        {
            // Outside Development the host only reads wwwroot; a build output (tests, `dotnet run -c Release`)
            // also needs the packages' _content/ files through the static web assets manifest. A
            // published app has no such manifest and this does nothing.
            StaticWebAssetsLoader.UseStaticWebAssets(web.Environment, web.Configuration);
        }

        return builder;
    }

    public static WebApplication MapHarborWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        // Pages declare their own routes (/, /containers, /jobs/…); none is a catch-all, so /api/v1,
        // /health, /metrics and /openapi keep answering as before.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
