namespace Harbor.Controller.Registries;

/// <summary>A username and secret (password or access token) for one registry. Never logged: ToString hides the secret.</summary>
internal sealed record RegistryCredential(string Username, string Secret)
{
    public override string ToString() => $"{Username} (secret hidden)";
}
