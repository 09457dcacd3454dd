using System.Text.Json.Nodes;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>A stored registry credential as the API shows it: never the secret.</summary>
internal sealed record CredentialResponse(string Id, string Registry, string Username, string Source, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>POST /api/v1/registries/credentials</c>.</summary>
internal sealed record CreateCredentialRequest(string? Registry, string? Username, string? Secret);

/// <summary>Body of <c>PUT /api/v1/registries/credentials/{id}</c>: what to change.</summary>
internal sealed record UpdateCredentialRequest(string? Username, string? Secret);

/// <summary>
/// Body of <c>POST /api/v1/registries/credentials/import</c>: a Docker <c>config.json</c> given inline
/// (<see cref="Config"/>) or read from a path on the controller's machine (<see cref="Path"/>; default
/// <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>).
/// </summary>
internal sealed record ImportCredentialsRequest(string? Path, JsonObject? Config);

internal sealed record ImportedCredential(string Registry, string Username, string Source, bool Replaced);

internal sealed record SkippedCredential(string Registry, string Reason);

internal sealed record ImportCredentialsResponse(IReadOnlyList<ImportedCredential> Imported, IReadOnlyList<SkippedCredential> Skipped);

/// <summary>The outcome of <c>POST /api/v1/registries/credentials/{id}/test</c>.</summary>
internal sealed record LoginTestResponse(string Registry, bool Succeeded, string Message);
