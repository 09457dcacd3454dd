namespace Harbor.Controller.Registries;

/// <summary>The outcome of trying a credential against a registry, as a user reads it.</summary>
internal sealed record RegistryLoginResult(bool Succeeded, string Message);
