using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Checks;

/// <summary><c>/api/v1/registries/webhook-secret</c>: the secret registry webhooks present (admin only).</summary>
internal static class WebhookSecretApi
{
    public static RouteGroupBuilder MapWebhookSecretApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/registries/webhook-secret").WithTags("Webhooks").RequirePermission(Permission.Admin);
        group.MapGet("/", Describe).WithName("GetWebhookSecretInfo")
            .WithSummary("Where the webhook secret comes from (configuration, generated, rotated) and when it was last rotated; never the secret.");
        group.MapPost("/rotate", Rotate).WithName("RotateWebhookSecret")
            .WithSummary("Replaces the webhook secret with a new random one and returns it once; the old secret is refused at once.");
        return group;
    }

    private static async Task<Ok<WebhookSecretInfo>> Describe(WebhookSecret secret, CancellationToken cancellationToken) =>
        TypedResults.Ok(await secret.DescribeAsync(cancellationToken));

    // Not cancelled with the request: once the new secret is stored, the controller must use it too.
    private static async Task<Ok<RotatedWebhookSecret>> Rotate(WebhookSecret secret, HttpContext http) =>
        TypedResults.Ok(await secret.RotateAsync(http.User.ActorName(), CancellationToken.None));
}
