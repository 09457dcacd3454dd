using Harbor.Agent.Extensions;

// The container image's HEALTHCHECK: probe the running agent instead of starting one.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(Console.Out, AgentExtensions.DefaultUrl);
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json ships beside the binary; find it wherever the process was started from.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddServiceDefaults();
builder.AddHarborAgent();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapHarborAgentEndpoints();

await app.RunAsync();
return 0;
