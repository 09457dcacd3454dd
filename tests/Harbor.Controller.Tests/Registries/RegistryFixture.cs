using Harbor.Testing;

namespace Harbor.Controller.Tests.Registries;

/// <summary>Three real registries for a test class: anonymous, htpasswd Basic, and token auth with a test token server.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string User = "harbor";
    public const string Password = "s3cret-pass-word";

    public RegistryServer Anonymous { get; private set; } = null!;

    public RegistryServer Basic { get; private set; } = null!;

    public RegistryServer Token { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Anonymous = await RegistryServer.StartAsync();
        Basic = await RegistryServer.StartAsync(User, Password, login: false);
        Token = await RegistryServer.StartWithTokenAuthAsync(User, Password);
    }

    public async ValueTask DisposeAsync()
    {
        await Anonymous.DisposeAsync();
        await Basic.DisposeAsync();
        await Token.DisposeAsync();
    }
}
