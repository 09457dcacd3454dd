using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>
/// Reads the credentials out of a Docker <c>config.json</c>: inline <c>auths</c> entries
/// (<c>auth</c> = base64 "user:password", or <c>username</c>/<c>password</c>), and registries whose
/// secrets live in a credential helper (<c>credHelpers</c> per registry, <c>credsStore</c> for the
/// rest), asked through the helper protocol when the helper exists on this machine.
/// </summary>
internal static class DockerConfigImporter
{
    public sealed record Found(string Registry, RegistryCredential Credential, string Source);

    public sealed record Outcome(IReadOnlyList<Found> Credentials, IReadOnlyList<SkippedCredential> Skipped);

    /// <summary>$DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } directory
            ? Path.Combine(directory, "config.json")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json");

    public static async Task<Outcome> ReadAsync(
        JsonObject config,
        Func<string, string, CancellationToken, Task<DockerCredentialHelper.Result>> helper,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Found>(StringComparer.OrdinalIgnoreCase);
        var skipped = new List<SkippedCredential>();
        var store = config["credsStore"] is JsonValue storeValue && storeValue.TryGetValue<string>(out var storeName) && storeName.Length > 0 ? storeName : null;
        var helpers = config["credHelpers"] as JsonObject ?? [];

        foreach (var (server, node) in config["auths"] as JsonObject ?? [])
        {
            var registry = RegistryHost.Normalize(server);
            if (registry is null)
            {
                skipped.Add(new SkippedCredential(server, "not a registry host"));
                continue;
            }

            if (node is not JsonObject entry)
            {
                skipped.Add(new SkippedCredential(registry, "the entry is not an object"));
                continue;
            }

            if (Text(entry, "identitytoken") is { Length: > 0 })
            {
                skipped.Add(new SkippedCredential(registry, "identity tokens (OAuth refresh tokens) are not supported; add a password or access token instead"));
                continue;
            }

            if (Decode(entry) is { } credential)
            {
                found[registry] = new Found(registry, credential, "docker-config");
            }
            else if (store is null && !helpers.ContainsKey(server))
            {
                skipped.Add(new SkippedCredential(registry, "the entry has no auth, username or password"));
            }
        }

        // A registry listed under credHelpers uses that helper even when auths has an (empty) entry.
        var fromHelpers = helpers.Select(h => (Server: h.Key, Helper: h.Value is JsonValue v && v.TryGetValue<string>(out var name) ? name : null)).ToList();
        if (store is not null)
        {
            foreach (var (server, _) in config["auths"] as JsonObject ?? [])
            {
                if (RegistryHost.Normalize(server) is { } registry && !found.ContainsKey(registry) && !helpers.ContainsKey(server))
                {
                    fromHelpers.Add((server, store));
                }
            }
        }

        foreach (var (server, name) in fromHelpers)
        {
            var registry = RegistryHost.Normalize(server);
            if (registry is null || name is null)
            {
                skipped.Add(new SkippedCredential(server, registry is null ? "not a registry host" : "no helper name"));
                continue;
            }

            var result = await helper(name, server, cancellationToken);
            if (result.Credential is not null)
            {
                found[registry] = new Found(registry, result.Credential, "credential-helper:" + name);
            }
            else
            {
                skipped.Add(new SkippedCredential(registry, result.Problem ?? "the helper returned nothing"));
            }
        }

        return new Outcome([.. found.Values.OrderBy(f => f.Registry, StringComparer.Ordinal)], skipped);
    }

    private static RegistryCredential? Decode(JsonObject entry)
    {
        if (Text(entry, "auth") is { Length: > 0 } auth)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && colon < decoded.Length - 1)
                {
                    return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
            }

            return null;
        }

        return Text(entry, "username") is { Length: > 0 } username && Text(entry, "password") is { Length: > 0 } password
            ? new RegistryCredential(username, password)
            : null;
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Parses config.json text; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static JsonObject ParseFile(string text) =>
        JsonNode.Parse(text) as JsonObject ?? throw new JsonException("config.json must hold a JSON object.");
}
