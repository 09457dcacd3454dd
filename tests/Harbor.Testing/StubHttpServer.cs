using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harbor.Testing;

/// <summary>A real HTTP server on a free loopback port whose every request goes to one handler: for registry behaviour a real registry will not produce on demand (429, 503).</summary>
public sealed class StubHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private StubHttpServer(WebApplication app, Uri address)
    {
        this.app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    /// <summary>host:port, usable as the registry part of an image reference.</summary>
    public string Host => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public static async Task<StubHttpServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StubHttpServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
