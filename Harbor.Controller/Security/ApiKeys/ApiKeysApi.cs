using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.ApiKeys;

/// <summary><c>/api/v1/api-keys</c>: keys for machines, shown once, scoped, expiring, rotated with a grace period.</summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequirePermission(Permission.Account);
        group.MapGet("/", ListApiKeys).WithName("ListApiKeys").WithSummary("The caller's keys (admins: everyone's with all=true). Never the secrets.");
        group.MapPost("/", CreateApiKey).WithName("CreateApiKey")
            .WithSummary("Creates a key with scopes (read, check, update, admin, webhook) and an optional expiry. The key is in this answer only.");
        group.MapPost("/{keyId}/rotate", RotateApiKey).WithName("RotateApiKey")
            .WithSummary("Issues a replacement key; the old one keeps working for the grace period.");
        group.MapDelete("/{keyId}", RevokeApiKey).WithName("RevokeApiKey").WithSummary("Revokes a key at once.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<ApiKeyResponse>>> ListApiKeys(bool? all, ClaimsPrincipal caller, ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(all == true && caller.IsAdmin() ? null : caller.UserId() ?? "", cancellationToken));

    internal static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateApiKey(
        CreateApiKeyRequest request, ClaimsPrincipal caller, ApiKeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["name is required (at most 100 characters)."];
        }

        var scopes = request.Scopes ?? [];
        if (scopes.Count == 0 || scopes.Any(s => !ApiKeyScopes.IsKnown(s)))
        {
            errors["scopes"] = [$"scopes must be one or more of {string.Join(", ", ApiKeyScopes.All)}."];
        }
        else if (scopes.SelectMany(ApiKeyScopes.PermissionsOf).Any(p => !HarborAccessHandler.Holds(caller, p)))
        {
            errors["scopes"] = ["A key cannot do more than its creator: you lack a permission one of these scopes grants."];
        }

        if (request.ExpiresInDays is < 1 or > 3650)
        {
            errors["expiresInDays"] = ["expiresInDays must be 1-3650, or left out for a key that does not expire."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The API key cannot be created like this.");
        }

        DateTimeOffset? expiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().AddDays(days) : null;
        var created = await keys.CreateAsync(name!, scopes, caller.UserId(), expiresAt, cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{created.ApiKey.Id}", created);
    }

    private static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult, ValidationProblem>> RotateApiKey(
        string keyId, RotateApiKeyRequest? request, ClaimsPrincipal caller, ApiKeyStore keys, IOptions<SecurityOptions> options, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(keyId, caller, keys, cancellationToken) is null)
        {
            return NotFound(keyId);
        }

        if (request?.GracePeriodHours is < 0 or > 24 * 90)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["gracePeriodHours"] = ["gracePeriodHours must be 0-2160."] });
        }

        var grace = request?.GracePeriodHours is { } hours ? TimeSpan.FromHours(hours) : options.Value.ApiKeyRotationGrace;
        return await keys.RotateAsync(keyId, grace, cancellationToken) is { } created
            ? TypedResults.Created($"/api/v1/api-keys/{created.ApiKey.Id}", created)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key is not active",
                detail: "Only an active key can be rotated; this one was already rotated, revoked or has expired.");
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(
        string keyId, ClaimsPrincipal caller, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(keyId, caller, keys, cancellationToken) is null)
        {
            return NotFound(keyId);
        }

        await keys.RevokeAsync(keyId, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A key the caller may manage: their own, or any for an admin.</summary>
    private static async Task<ApiKeyRow?> FindOwnAsync(string keyId, ClaimsPrincipal caller, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.FindAsync(keyId, cancellationToken) is { } key && (caller.IsAdmin() || (key.OwnerUserId is not null && key.OwnerUserId == caller.UserId()))
            ? key
            : null;

    private static ProblemHttpResult NotFound(string keyId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: $"No API key '{keyId}' of yours.");
}
