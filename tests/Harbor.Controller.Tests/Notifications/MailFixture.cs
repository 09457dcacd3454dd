using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>A real Postfix and a real controller on a fake clock (retries are driven by advancing it), shared by the email tests.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    private readonly TempDirectory data = new("notify-mail");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public ControllerHost Controller { get; private set; } = null!;

    public MailServer Mail { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Mail = await MailServer.StartAsync();
        Controller = await NotificationFixture.StartControllerAsync(data.Combine("controller"), Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Mail.DisposeAsync();
        data.Dispose();
    }
}
