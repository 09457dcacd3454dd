namespace Harbor.Controller.Registries;

/// <summary>No credentials anywhere: every registry is used anonymously.</summary>
internal sealed class AnonymousCredentials : IRegistryCredentialProvider
{
    public static AnonymousCredentials Instance { get; } = new();

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) => ValueTask.FromResult<RegistryCredential?>(null);
}
