using Bunit;
using Harbor.Controller.Web;
using Harbor.Controller.Web.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Tests.Web;

/// <summary>The wizard's input steps rendered with bUnit: readable messages for bad input, and only valid input is saved.</summary>
public sealed class SetupStepTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string[]> Saved = new Dictionary<string, string[]>();
    private readonly BunitContext context = new();

    public SetupStepTests()
    {
        context.Services.AddFluentUIComponents();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Behaviour_ApprovalAndCron_SavesThemAsChosen()
    {
        (string Mode, string Schedule)? saved = null;
        var step = context.Render<SetupBehaviourStep>(p => p.Add(s => s.Save, (m, s) => { saved = (m, s); return Task.FromResult(Saved); }));

        step.Find("input[value=approve]").Change("approve");
        step.Find("#behaviour-schedule").Change(" 0 3 * * * ");
        step.Find("#behaviour-save").Click();

        Assert.Equal(("approve", "0 3 * * *"), saved);
        Assert.Empty(step.FindAll(".validation-message"));
    }

    [Theory]
    [InlineData("", "Enter how often to check")]
    [InlineData("every tuesday", "every tuesday")]
    public void Behaviour_BadSchedule_ShowsWhyAndSavesNothing(string schedule, string expected)
    {
        var calls = 0;
        var step = context.Render<SetupBehaviourStep>(p => p.Add(s => s.Save, (_, _) => { calls++; return Task.FromResult(Saved); }));

        step.Find("#behaviour-schedule").Change(schedule);
        step.Find("#behaviour-save").Click();

        Assert.Equal(0, calls);
        Assert.Contains(expected, step.Find("#behaviour-schedule-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Behaviour_ServerRefuses_ShowsTheServersMessage()
    {
        var step = context.Render<SetupBehaviourStep>(p => p.Add(s => s.Save,
            (_, _) => Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]> { ["schedule"] = ["too often"] })));

        step.Find("#behaviour-save").Click();

        Assert.Equal("too often", step.Find("#behaviour-schedule-error").TextContent);
    }

    [Fact]
    public void Registry_MissingFields_NamesEachAndNeitherTestsNorSaves()
    {
        var calls = 0;
        var step = RenderRegistry((_, _, _) => { calls++; return Task.FromResult(new ActionResult(true, "ok", "")); }, (_, _, _) => { calls++; return Task.FromResult(Saved); });

        step.Find("#registry-host").Change("not a host!");
        step.Find("#registry-test").Click();

        Assert.Equal(0, calls);
        Assert.Contains("is not a registry host", step.Find("#registry-registry-error").TextContent, StringComparison.Ordinal);
        Assert.Contains("username is required", step.Find("#registry-username-error").TextContent, StringComparison.Ordinal);
        Assert.Contains("secret", step.Find("#registry-secret-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_TestLoginFails_ShowsTheRegistrysErrorAndStoresNothing()
    {
        (string Registry, string User, string Secret)? tested = null;
        var saves = 0;
        var step = RenderRegistry(
            (r, u, s) => { tested = (r, u, s); return Task.FromResult(new ActionResult(false, "registry.lan:5000 refused the login.", "unauthorized: authentication required")); },
            (_, _, _) => { saves++; return Task.FromResult(Saved); });

        step.Find("#registry-host").Change("https://Registry.lan:5000/");
        step.Find("#registry-user").Change(" ci ");
        step.Find("#registry-secret").Change("wrong");
        step.Find("#registry-test").Click();

        Assert.Equal(("registry.lan:5000", "ci", "wrong"), tested);
        Assert.Contains("unauthorized: authentication required", step.Find("#registry-result").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, saves);
    }

    [Fact]
    public void Registry_Skip_CallsSkipWithoutValidating()
    {
        var skipped = false;
        var step = context.Render<SetupRegistryStep>(p => p
            .Add(s => s.TestLogin, (_, _, _) => Task.FromResult(new ActionResult(true, "", "")))
            .Add(s => s.Save, (_, _, _) => Task.FromResult(Saved))
            .Add(s => s.Skip, () => skipped = true));

        step.Find("#registry-skip").Click();

        Assert.True(skipped);
        Assert.Empty(step.FindAll(".validation-message"));
    }

    private IRenderedComponent<SetupRegistryStep> RenderRegistry(
        Func<string, string, string, Task<ActionResult>> test, Func<string, string, string, Task<IReadOnlyDictionary<string, string[]>>> save) =>
        context.Render<SetupRegistryStep>(p => p.Add(s => s.TestLogin, test).Add(s => s.Save, save));

    public void Dispose() => context.Dispose();
}
