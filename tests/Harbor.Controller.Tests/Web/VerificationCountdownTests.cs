using Bunit;
using Harbor.Controller.Web.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Web;

/// <summary>The job page's verification countdown: its words per phase, ticking on the controller's clock.</summary>
public sealed class VerificationCountdownTests : IDisposable
{
    private readonly BunitContext context = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public VerificationCountdownTests() => context.Services.AddSingleton<TimeProvider>(clock);

    [Fact]
    public void Stability_TicksDownEachSecondOnTheControllersClock()
    {
        var view = Render("stability", 20_000, clock.GetUtcNow().AddSeconds(20));

        Assert.Equal("Must keep running", view.Find("#verification-phase").TextContent);
        Assert.Equal("20 s more", view.Find("#verification-remaining").TextContent);

        clock.Advance(TimeSpan.FromSeconds(1));
        view.WaitForAssertion(() => Assert.Equal("19 s more", view.Find("#verification-remaining").TextContent));
        clock.Advance(TimeSpan.FromSeconds(12.5));
        view.WaitForAssertion(() => Assert.Equal("7 s more", view.Find("#verification-remaining").TextContent));
        clock.Advance(TimeSpan.FromSeconds(7));
        view.WaitForAssertion(() => Assert.Equal("window passed, waiting for the agent", view.Find("#verification-remaining").TextContent));
    }

    [Fact]
    public void Healthcheck_SaysWhenItGivesUp_InMinutesAndSeconds()
    {
        var view = Render("healthcheck", 150_000, clock.GetUtcNow().AddSeconds(102));

        Assert.Equal("Waiting for healthy", view.Find("#verification-phase").TextContent);
        Assert.Equal("gives up in 1:42", view.Find("#verification-remaining").TextContent);
    }

    [Fact]
    public void Probe_NamesTheUrlAndTheSecondsLeft()
    {
        var view = Render("http_probe", 60_000, clock.GetUtcNow().AddSeconds(4), "http://172.17.0.5/health");

        Assert.Equal("Probing http://172.17.0.5/health", view.Find("#verification-phase").TextContent);
        Assert.Equal("4 s left", view.Find("#verification-remaining").TextContent);
    }

    [Fact]
    public void NoWindow_SaysItChecksThatItRuns_WithoutATimer()
    {
        var view = Render("stability", 0, clock.GetUtcNow());

        Assert.Equal("Checking that it runs", view.Find("#verification-phase").TextContent);
        Assert.Empty(view.FindAll("[role=timer]"));
    }

    [Fact]
    public void Markup_PhaseIsPolitelyLive_TheTickingFigureIsATimerOutsideIt()
    {
        var view = Render("stability", 20_000, clock.GetUtcNow().AddSeconds(20));

        Assert.Equal("polite", view.Find("#verification-phase").GetAttribute("aria-live"));
        var timer = view.Find("#verification-remaining");
        Assert.Equal("timer", timer.GetAttribute("role"));
        Assert.Null(timer.Closest("[aria-live=polite]"));
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(59, "59 s")]
    [InlineData(60, "1:00")]
    [InlineData(101.5, "1:42")]
    [InlineData(3723, "1:02:03")]
    public void Figure_WholeSecondsRoundedUp(double seconds, string expected) =>
        Assert.Equal(expected, VerificationCountdown.Figure(TimeSpan.FromSeconds(seconds)));

    private IRenderedComponent<VerificationCountdown> Render(string kind, long windowMs, DateTimeOffset endsAt, string? url = null) =>
        context.Render<VerificationCountdown>(p => p
            .Add(v => v.Kind, kind)
            .Add(v => v.WindowMs, windowMs)
            .Add(v => v.EndsAt, endsAt)
            .Add(v => v.Url, url));

    public void Dispose() => context.Dispose();
}
