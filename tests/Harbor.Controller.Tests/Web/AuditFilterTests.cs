using Bunit;
using Harbor.Controller.Web;
using Harbor.Controller.Web.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Tests.Web;

/// <summary>The Audit page's filter bar (rendered with bUnit), the query it makes and the export link it carries.</summary>
public sealed class AuditFilterTests : IDisposable
{
    private readonly BunitContext context = new();

    public AuditFilterTests()
    {
        context.Services.AddFluentUIComponents();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Fields_Changed_CombineIntoOneFilter_AndTheSameQuery()
    {
        AuditFilter current = new();
        var bar = Render(current, f => current = f);

        bar.Find("#audit-actor").Change("  ada ");
        bar.Find("#audit-action").Change("CreateApiKey");
        bar.Find("#audit-target").Change("hostId=web-1");
        bar.Find("#audit-since").Change("2026-11-01T08:30:00");
        bar.Find("#audit-until").Change("2026-11-02T00:00:00");

        var query = current.ToQuery(2, 50);
        Assert.Equal(("ada", "CreateApiKey", "hostId=web-1"), (query.Actor, query.Action, query.Target));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero), query.Since);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), query.Until);
        Assert.Equal((2, 50), (query.Page, query.PageSize));
    }

    [Fact]
    public void ExportUrl_CarriesTheFilter_Escaped()
    {
        var filter = new AuditFilter { Actor = "api-key:ci & deploy", Target = "id=a b", Since = new DateTime(2026, 11, 1, 8, 30, 0) };

        Assert.Equal("/api/v1/audit/export?format=csv&actor=api-key%3Aci%20%26%20deploy&target=id%3Da%20b&since=2026-11-01T08%3A30%3A00Z", filter.ExportUrl("csv"));
        Assert.Equal("/api/v1/audit/export?format=json", new AuditFilter { Actor = " " }.ExportUrl("json"));
    }

    [Fact]
    public void TimeRange_Backwards_IsShownAsAProblem()
    {
        var bar = Render(new AuditFilter { Since = new DateTime(2026, 11, 2), Until = new DateTime(2026, 11, 1) }, _ => { });

        Assert.Contains("until must be after since", bar.Find("#audit-filter-problem").TextContent);
    }

    [Fact]
    public void ClearFilters_OnlyOfferedWhenFiltering_ResetsEverything()
    {
        AuditFilter? reported = null;
        Assert.Empty(Render(new AuditFilter(), f => reported = f).FindAll("#audit-clear"));

        var bar = Render(new AuditFilter { Actor = "ada", Since = new DateTime(2026, 1, 1) }, f => reported = f);
        bar.Find("#audit-clear").Click();

        Assert.True(reported!.IsEmpty);
    }

    private IRenderedComponent<AuditFilterBar> Render(AuditFilter filter, Action<AuditFilter> changed) =>
        context.Render<AuditFilterBar>(p => p
            .Add(b => b.Filter, filter)
            .Add(b => b.FilterChanged, changed)
            .Add(b => b.Actions, ["CreateApiKey", "Login"]));

    public void Dispose() => context.Dispose();
}
