namespace Harbor.Controller.Registries;

/// <summary>Where the registry client finds the credential for a registry (the controller's store; the agent's brokered ones later).</summary>
internal interface IRegistryCredentialProvider
{
    /// <summary>The credential for <paramref name="registry"/> (as in references: docker.io, ghcr.io, host:port), or null for anonymous.</summary>
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
