using Harbor.Agent.Extensions;

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

app.Run();
