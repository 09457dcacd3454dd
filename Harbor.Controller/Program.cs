using Harbor.Controller.Extensions;

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

app.Run();

/// <summary>Visible to WebApplicationFactory-style tests.</summary>
public partial class Program;
