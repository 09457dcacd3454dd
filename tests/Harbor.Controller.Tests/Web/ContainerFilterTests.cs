using Bunit;
using Harbor.Controller.Inventory;
using Harbor.Controller.Web;
using Harbor.Controller.Web.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Tests.Web;

/// <summary>The Containers page's filter bar (rendered with bUnit) and the filter it produces.</summary>
public sealed class ContainerFilterTests : IDisposable
{
    private static readonly ContainerResponse[] Containers =
    [
        Container("h1", "Alpha", "web", "registry.example/nginx:1.27", "up-to-date", "shop"),
        Container("h1", "alpha", "db", "postgres:16", "update-available", "shop"),
        Container("h2", "Beta", "proxy", "traefik:3", "update-available", null),
        Container("h2", "Beta", "nginx-exporter", "prom/exporter:1", "error", null),
    ];

    private readonly BunitContext context = new();

    public ContainerFilterTests()
    {
        context.Services.AddFluentUIComponents();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Search_Typed_ReportsAFilterMatchingNameOrImageCaseInsensitively()
    {
        ContainerFilter? reported = null;
        var bar = Render(new ContainerFilter(), f => reported = f);

        bar.Find("#filter-search").Input("NGINX");

        Assert.Equal("NGINX", reported!.Search);
        Assert.Equal(["web", "nginx-exporter"], reported.Apply(Containers).Select(c => c.Name));
    }

    [Fact]
    public void HostAndStatus_Selected_CombineIntoOneFilter()
    {
        ContainerFilter current = new();
        var bar = Render(current, f => current = f);

        bar.Find("#filter-host").Change("h2");
        bar.Find("#filter-status").Change("update-available");

        Assert.Equal(new ContainerFilter { HostId = "h2", Status = "update-available" }, current);
        Assert.Equal(["proxy"], current.Apply(Containers).Select(c => c.Name));
    }

    [Fact]
    public void Project_NotInAProject_KeepsOnlyContainersWithoutCompose()
    {
        ContainerFilter current = new();
        var bar = Render(current, f => current = f);

        bar.Find("#filter-project").Change(ContainerFilter.NoProject);

        Assert.Equal(["proxy", "nginx-exporter"], current.Apply(Containers).Select(c => c.Name));
        var projects = bar.FindAll("#filter-project option").Select(o => o.TextContent).ToList();
        Assert.Equal(["Any project", "Not in a project", "shop"], projects);
    }

    [Fact]
    public void ClearFilters_OnlyOfferedWhenFiltering_ResetsEverything()
    {
        ContainerFilter? reported = null;
        Assert.Empty(Render(new ContainerFilter(), f => reported = f).FindAll("fluent-button"));

        var bar = Render(new ContainerFilter { HostId = "h1", Search = "x" }, f => reported = f);
        bar.Find("fluent-button").Click();

        Assert.True(reported!.IsEmpty);
        Assert.Equal(Containers.Length, reported.Apply(Containers).Count());
    }

    [Fact]
    public void Apply_EmptyFilter_KeepsEveryContainerInOrder()
    {
        Assert.Equal(Containers, new ContainerFilter { Search = "   " }.Apply(Containers));
    }

    private IRenderedComponent<ContainerFilterBar> Render(ContainerFilter filter, Action<ContainerFilter> changed) =>
        context.Render<ContainerFilterBar>(p => p
            .Add(b => b.Filter, filter)
            .Add(b => b.FilterChanged, changed)
            .Add(b => b.Hosts, [new FilterOption("h1", "alpha"), new FilterOption("h2", "beta")])
            .Add(b => b.Projects, ["shop"]));

    private static ContainerResponse Container(string hostId, string hostName, string name, string image, string status, string? project) =>
        new(hostId, hostName, name + "-id", name, image, "sha256:" + name, [], new Dictionary<string, string>(), "running", "none",
            null, null, project, project is null ? null : name, 0, 0, null, [], [], false, DateTimeOffset.UnixEpoch,
            new UpdateCheckResponse(status, null, null, null, null));

    public void Dispose() => context.Dispose();
}
