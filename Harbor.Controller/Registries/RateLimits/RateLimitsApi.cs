using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Registries.RateLimits;

/// <summary><c>/api/v1/registries/rate-limits</c>: what each registry last said about its rate limit (kept across restarts).</summary>
internal static class RateLimitsApi
{
    public static RouteHandlerBuilder MapRateLimitsApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/registries/rate-limits", List).WithTags("Registries").WithName("ListRegistryRateLimits")
            .WithSummary("Per registry: remaining requests and limit as last reported, when, and the Retry-After pause if one still runs.");

    private static Ok<List<RateLimitResponse>> List(RegistryClient registries) =>
        TypedResults.Ok(registries.RateLimits()
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new RateLimitResponse(l.Key, l.Value.Remaining, l.Value.Limit, l.Value.ObservedAt, l.Value.PausedUntil))
            .ToList());
}
