using System.Text.Json;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>The credentials feature: validates, stores, imports and tests; keeps the registry client's auth caches in step.</summary>
internal sealed class CredentialService(CredentialStore store, RegistryClient client)
{
    public const int MaxUsernameLength = 256;
    public const int MaxSecretLength = 8192;

    public Task<IReadOnlyList<CredentialResponse>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<CredentialResponse?> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } row ? CredentialStore.ToResponse(row) : null;

    public static Dictionary<string, string[]> Validate(CreateCredentialRequest request, out string? registry)
    {
        var errors = ValidateParts(request.Username, request.Secret, required: true);
        registry = RegistryHost.Normalize(request.Registry);
        if (registry is null)
        {
            errors["registry"] = [string.IsNullOrWhiteSpace(request.Registry)
                ? "registry is required (e.g. ghcr.io, docker.io or registry.example.com:5000)."
                : $"'{request.Registry}' is not a registry host (e.g. ghcr.io, docker.io or registry.example.com:5000)."];
        }

        return errors;
    }

    public static Dictionary<string, string[]> Validate(UpdateCredentialRequest request)
    {
        var errors = ValidateParts(request.Username, request.Secret, required: false);
        if (request.Username is null && request.Secret is null)
        {
            errors[""] = ["Give a new username, a new secret, or both."];
        }

        return errors;
    }

    public async Task<CredentialResponse?> CreateAsync(string registry, CreateCredentialRequest request, CancellationToken cancellationToken)
    {
        var created = await store.CreateAsync(registry, request.Username!.Trim(), request.Secret!, "api", cancellationToken);
        client.ForgetCredentials(registry);
        return created;
    }

    public async Task<CredentialResponse?> UpdateAsync(string id, UpdateCredentialRequest request, CancellationToken cancellationToken)
    {
        var updated = await store.UpdateAsync(id, request.Username?.Trim(), request.Secret, cancellationToken);
        if (updated is not null)
        {
            client.ForgetCredentials(updated.Registry);
        }

        return updated;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var registry = await store.DeleteAsync(id, cancellationToken);
        if (registry is not null)
        {
            client.ForgetCredentials(registry);
        }

        return registry is not null;
    }

    /// <summary>Logs in with the stored credential the way <c>docker login</c> would; null when there is no such credential.</summary>
    public async Task<LoginTestResponse?> TestAsync(string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        RegistryLoginResult result;
        try
        {
            result = await client.TestLoginAsync(row.Registry, store.Decrypt(row), cancellationToken);
        }
        catch (RegistryException e)
        {
            result = new RegistryLoginResult(false, e.Message);
        }

        return new LoginTestResponse(row.Registry, result.Succeeded, result.Message);
    }

    /// <summary>Imports from inline JSON or a file; a problem with the input itself is returned as <c>Problem</c>.</summary>
    public async Task<(ImportCredentialsResponse? Response, string? Problem)> ImportAsync(ImportCredentialsRequest request, CancellationToken cancellationToken)
    {
        System.Text.Json.Nodes.JsonObject config;
        if (request.Config is not null)
        {
            config = request.Config;
        }
        else
        {
            var path = string.IsNullOrWhiteSpace(request.Path) ? DockerConfigImporter.DefaultPath() : request.Path;
            if (!File.Exists(path))
            {
                return (null, $"There is no Docker config file at '{path}' on the controller's machine.");
            }

            try
            {
                config = DockerConfigImporter.ParseFile(await File.ReadAllTextAsync(path, cancellationToken));
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                return (null, $"'{path}' cannot be read as a Docker config.json ({e.GetType().Name}).");
            }
        }

        var outcome = await DockerConfigImporter.ReadAsync(config, DockerCredentialHelper.GetAsync, cancellationToken);
        var imported = new List<ImportedCredential>();
        foreach (var found in outcome.Credentials)
        {
            var replaced = await store.UpsertAsync(found.Registry, found.Credential.Username, found.Credential.Secret, found.Source, cancellationToken);
            client.ForgetCredentials(found.Registry);
            imported.Add(new ImportedCredential(found.Registry, found.Credential.Username, found.Source, replaced));
        }

        return (new ImportCredentialsResponse(imported, outcome.Skipped), null);
    }

    private static Dictionary<string, string[]> ValidateParts(string? username, string? secret, bool required)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (required ? string.IsNullOrWhiteSpace(username) : username is not null && username.Trim().Length == 0)
        {
            errors["username"] = ["username is required."];
        }
        else if (username is { Length: > MaxUsernameLength })
        {
            errors["username"] = [$"username is at most {MaxUsernameLength} characters."];
        }
        else if (username is not null && username.Contains(':', StringComparison.Ordinal))
        {
            errors["username"] = ["username cannot contain ':' (Basic authentication separates user and secret with it)."];
        }

        if (required ? string.IsNullOrEmpty(secret) : secret is { Length: 0 })
        {
            errors["secret"] = ["secret (a password or access token) is required."];
        }
        else if (secret is { Length: > MaxSecretLength })
        {
            errors["secret"] = [$"secret is at most {MaxSecretLength} characters."];
        }

        return errors;
    }
}
