using Harbor.Controller.Web;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Authorization;
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
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<UiAccess>();
        builder.Services.AddScoped<UiAudit>();
        // Decorates the API's refusal handler (registered by security before this): pages redirect to sign in.
        builder.Services.AddSingleton<ProblemAuthorizationResultHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, WebAuthorizationResultHandler>();
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
        // Scripts and styles carry no data, and the sign-in page needs them before anyone has signed in.
        app.MapStaticAssets().AllowAnonymous();
        // Pages declare their own routes (/, /containers, /jobs/…); none is a catch-all, so /api/v1,
        // /health, /metrics and /openapi keep answering as before.
        // Every page, and the live connection behind them (a POST to /_blazor/negotiate), is reading:
        // any signed-in role may use them; actions check their own permission before calling a service.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequirePermission(Permission.Read);
        return app;
    }
}
