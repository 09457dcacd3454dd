using Harbor.Controller.Extensions;

// The container image's HEALTHCHECK: probe the running controller instead of starting one.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(Console.Out, ControllerListeners.DefaultApiUrl);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json ships beside the binary; find it wherever the process was started from.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddServiceDefaults();
builder.AddHarborController();

var app = builder.Build();

app.MapHarborController();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory-style tests.</summary>
public partial class Program;
