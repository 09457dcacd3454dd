using System.Text.Json;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Checks;

/// <summary>
/// Reads "this repository was pushed" out of the webhook formats Harbor understands. A payload that
/// is not the format it claims to be yields an error (the caller answers 400); a valid payload about
/// something other than a push (a pull, a ping) yields no repositories.
/// </summary>
internal static class WebhookPayloads
{
    public const string Distribution = "distribution";
    public const string DockerHub = "dockerhub";
    public const string GitHub = "github";
    public const string Harbor = "harbor";

    public static readonly IReadOnlyList<string> Sources = [Distribution, DockerHub, GitHub, Harbor];

    public sealed record Outcome(IReadOnlyList<PushedRepository> Pushed, string? Error);

    public static Outcome Parse(string source, JsonElement root, string? githubEvent)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("the body must be a JSON object");
        }

        return source switch
        {
            Distribution => ParseDistribution(root),
            DockerHub => ParseDockerHub(root),
            GitHub => ParseGitHub(root, githubEvent),
            Harbor => ParseHarbor(root),
            _ => Fail($"unknown source '{source}'"),
        };
    }

    /// <summary>CNCF distribution notifications: <c>{"events":[{"action":"push","target":{"repository","tag","mediaType"},"request":{"host"}}]}</c>.</summary>
    private static Outcome ParseDistribution(JsonElement root)
    {
        if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return Fail("a distribution notification needs an \"events\" array");
        }

        var pushed = new List<PushedRepository>();
        foreach (var e in events.EnumerateArray())
        {
            if (Text(e, "action") != "push")
            {
                continue;
            }

            if (!e.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object)
            {
                return Fail("a push event has no \"target\"");
            }

            var mediaType = Text(target, "mediaType");
            var tag = Text(target, "tag");
            // Layer and config pushes come as events too; only manifests (or anything tagged) change what a tag means.
            if (tag is null && mediaType is not null && !mediaType.Contains("manifest", StringComparison.Ordinal) && !mediaType.Contains("index", StringComparison.Ordinal))
            {
                continue;
            }

            var host = e.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object ? Text(request, "host") : null;
            if (host is null && Text(target, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
            }

            if (Add(pushed, host, Text(target, "repository"), tag) is { } error)
            {
                return Fail(error);
            }
        }

        return new Outcome(Distinct(pushed), null);
    }

    /// <summary>Docker Hub: <c>{"push_data":{"tag"},"repository":{"repo_name"}}</c>.</summary>
    private static Outcome ParseDockerHub(JsonElement root)
    {
        if (!root.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object || Text(repository, "repo_name") is not { } name)
        {
            return Fail("a Docker Hub webhook needs \"repository.repo_name\"");
        }

        var tag = root.TryGetProperty("push_data", out var push) && push.ValueKind == JsonValueKind.Object ? Text(push, "tag") : null;
        var pushed = new List<PushedRepository>();
        var error = Add(pushed, ImageReference.DockerHub, name.Contains('/', StringComparison.Ordinal) ? name : "library/" + name, tag);
        return error is null ? new Outcome(pushed, null) : Fail(error);
    }

    /// <summary>GitHub <c>package</c> / <c>registry_package</c> events for container packages on ghcr.io.</summary>
    private static Outcome ParseGitHub(JsonElement root, string? githubEvent)
    {
        if (githubEvent == "ping")
        {
            return new Outcome([], null);
        }

        var package = root.TryGetProperty("package", out var p) && p.ValueKind == JsonValueKind.Object ? p
            : root.TryGetProperty("registry_package", out var rp) && rp.ValueKind == JsonValueKind.Object ? rp
            : default;
        if (package.ValueKind != JsonValueKind.Object)
        {
            return Fail("a GitHub package event needs a \"package\" (or \"registry_package\") object");
        }

        if (Text(root, "action") is not ("published" or "updated"))
        {
            return new Outcome([], null);
        }

        var type = Text(package, "package_type");
        if (type is not null && !type.Equals("container", StringComparison.OrdinalIgnoreCase))
        {
            return new Outcome([], null);
        }

        var owner = Text(package, "namespace")
            ?? (package.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Object ? Text(o, "login") : null);
        var name = Text(package, "name");
        if (owner is null || name is null)
        {
            return Fail("a GitHub package event needs the package's \"namespace\" (or owner.login) and \"name\"");
        }

        string? tag = null;
        if (package.TryGetProperty("package_version", out var version) && version.ValueKind == JsonValueKind.Object
            && version.TryGetProperty("container_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("tag", out var tagObject) && tagObject.ValueKind == JsonValueKind.Object)
        {
            tag = Text(tagObject, "name") is { Length: > 0 } t ? t : null;
        }

        var pushed = new List<PushedRepository>();
        var error = Add(pushed, "ghcr.io", $"{owner}/{name}".ToLowerInvariant(), tag);
        return error is null ? new Outcome(pushed, null) : Fail(error);
    }

    /// <summary>goharbor: <c>{"type":"PUSH_ARTIFACT","event_data":{"resources":[{"tag","resource_url"}],"repository":{"repo_full_name"}}}</c>.</summary>
    private static Outcome ParseHarbor(JsonElement root)
    {
        var type = Text(root, "type");
        if (type is null)
        {
            return Fail("a Harbor webhook needs \"type\"");
        }

        if (!type.Equals("PUSH_ARTIFACT", StringComparison.OrdinalIgnoreCase) && !type.Equals("pushImage", StringComparison.OrdinalIgnoreCase))
        {
            return new Outcome([], null);
        }

        if (!root.TryGetProperty("event_data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return Fail("a Harbor push event needs \"event_data.resources\"");
        }

        var fullName = data.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.Object ? Text(repository, "repo_full_name") : null;
        var pushed = new List<PushedRepository>();
        foreach (var resource in resources.EnumerateArray())
        {
            var url = Text(resource, "resource_url");
            if (url is null || !ImageReference.TryParse(url, out var reference, out var reason))
            {
                return Fail($"a Harbor resource_url is missing or not an image reference ({url ?? "none"})");
            }

            var error = Add(pushed, reference.Registry, fullName ?? reference.Repository, Text(resource, "tag") ?? reference.Tag);
            if (error is not null)
            {
                return Fail(error);
            }
        }

        return new Outcome(Distinct(pushed), null);
    }

    private static string? Add(List<PushedRepository> pushed, string? registry, string? repository, string? tag)
    {
        if (registry is null || repository is null)
        {
            return "a push event must name the registry host and the repository";
        }

        var normalizedRegistry = RegistryHost.Normalize(registry);
        var text = $"{normalizedRegistry}/{repository}" + (tag is null ? "" : ":" + tag);
        if (normalizedRegistry is null || !ImageReference.TryParse(text, out var reference, out var reason) || reference.Registry != normalizedRegistry)
        {
            return $"'{registry}/{repository}{(tag is null ? "" : ":" + tag)}' is not a valid repository";
        }

        pushed.Add(new PushedRepository(reference.Registry, reference.Repository, reference.Tag));
        return null;
    }

    private static List<PushedRepository> Distinct(List<PushedRepository> pushed) => [.. pushed.Distinct()];

    private static Outcome Fail(string error) => new([], error);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
