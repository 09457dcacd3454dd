using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Updates.Preview;

/// <summary><c>GET /api/v1/containers/{hostId}/{container}/update-preview</c>: the image config differences of the available update.</summary>
internal static class UpdatePreviewApi
{
    public static IEndpointRouteBuilder MapUpdatePreviewApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/containers/{hostId}/{container}/update-preview", PreviewAsync).WithTags("Updates").WithName("PreviewContainerUpdate")
            .WithSummary("What the available update changes in the image config (env defaults, ports, volumes, entrypoint/cmd, user, labels, healthcheck), and what the container overrides.");
        return routes;
    }

    private static async Task<Results<Ok<UpdatePreviewResponse>, ProblemHttpResult>> PreviewAsync(
        string hostId, string container, UpdatePreviewService previews, CancellationToken cancellationToken)
    {
        var (preview, problem) = await previews.PreviewAsync(hostId, container, cancellationToken);
        return preview is not null
            ? TypedResults.Ok(preview)
            : TypedResults.Problem(statusCode: problem!.StatusCode, title: problem.Title, detail: problem.Detail);
    }
}
