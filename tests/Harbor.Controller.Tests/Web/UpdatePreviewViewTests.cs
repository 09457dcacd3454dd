using Bunit;
using Harbor.Controller.Updates.Preview;
using Harbor.Controller.Web.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Tests.Web;

/// <summary>The container page's "what the update will change" view: what reaches the container first, overrides apart.</summary>
public sealed class UpdatePreviewViewTests : IDisposable
{
    private readonly BunitContext context = new();

    public UpdatePreviewViewTests()
    {
        context.Services.AddFluentUIComponents();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Changes_SplitIntoWhatReachesTheContainer_AndWhatItOverrides()
    {
        var view = Render(
            new ConfigChange("env", "GREETING", "v1", "v2", false),
            new ConfigChange("exposed port", "8080/tcp", null, "8080/tcp", false),
            new ConfigChange("label", "app.version", "1", "2", true));

        var rows = view.FindAll("#update-preview tbody tr");
        Assert.Equal(["env GREETING", "exposed port 8080/tcp"], rows.Select(r => r.Children[0].TextContent));
        Assert.Equal(["(none)", "8080/tcp"], [rows[1].Children[1].TextContent, rows[1].Children[2].TextContent]);
        Assert.Equal("label app.version", view.Find("#update-preview-overridden tr").Children[0].TextContent);
    }

    [Fact]
    public void NoChanges_SaysOnlyTheContentChanges()
    {
        Assert.Contains("only its content", Render().Find("#update-preview-none").TextContent);
    }

    [Fact]
    public void OnlyOverriddenChanges_SaysNoneReachesTheContainer()
    {
        var view = Render(new ConfigChange("label", "app.version", "1", "2", true));

        Assert.Contains("none of them reaches it", view.Find("#update-preview-none").TextContent);
        Assert.Empty(view.FindAll("#update-preview"));
    }

    private IRenderedComponent<UpdatePreviewView> Render(params ConfigChange[] changes) =>
        context.Render<UpdatePreviewView>(p => p.Add(v => v.Changes, changes));

    public void Dispose() => context.Dispose();
}
