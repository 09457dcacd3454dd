using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Features;

/// <summary><c>GET /api/v1/features</c>: which optional features this controller runs with.</summary>
internal static class FeaturesApi
{
    public static RouteGroupBuilder MapFeaturesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/features").WithTags("Features");
        group.MapGet("/", ListFeatures).WithName("ListFeatures").RequirePermission(Permission.Read)
            .WithSummary("Every feature flag (Harbor:Features) and whether it is on.");
        return group;
    }

    private static Ok<IReadOnlyList<FeatureResponse>> ListFeatures(FeatureFlags flags) =>
        TypedResults.Ok<IReadOnlyList<FeatureResponse>>([.. flags.All.Select(f => new FeatureResponse(f.Definition.Name, f.Enabled, f.Definition.Description))]);
}
