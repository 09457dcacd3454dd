using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Checks;

/// <summary>
/// <c>/api/v1/webhooks/{source}</c>: registries tell Harbor about pushes, and Harbor checks just the
/// pushed repository at once. These endpoints authenticate themselves with the webhook secret (in the
/// URL, the Authorization header or an HMAC signature), not with the API's user authentication.
/// </summary>
internal static class WebhooksApi
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks");
        group.MapPost("/{source}", (string source, HttpRequest request, WebhookSecret secret, CheckService checks, ILogger<CheckService> logger, CancellationToken cancellationToken) =>
                ReceiveAsync(source, null, request, secret, checks, logger, cancellationToken))
            .WithName("ReceiveWebhook").WithSummary("A registry push notification, authenticated by the Authorization header or X-Hub-Signature-256.");
        group.MapPost("/{source}/{secret}", (string source, string secret, HttpRequest request, WebhookSecret webhookSecret, CheckService checks, ILogger<CheckService> logger, CancellationToken cancellationToken) =>
                ReceiveAsync(source, secret, request, webhookSecret, checks, logger, cancellationToken))
            .WithName("ReceiveWebhookWithSecret").WithSummary("A registry push notification, authenticated by the secret in the URL (Docker Hub and others that cannot send headers).");
        return group;
    }

    private static async Task<Results<Accepted<WebhookResponse>, Ok<WebhookResponse>, ProblemHttpResult>> ReceiveAsync(
        string source, string? pathSecret, HttpRequest request, WebhookSecret secret, CheckService checks, ILogger logger, CancellationToken cancellationToken)
    {
        if (pathSecret is not null)
        {
            // Traces record the request path; keep the secret out of them (the route template names it instead).
            Activity.Current?.SetTag("url.path", $"/api/v1/webhooks/{source}/{{secret}}");
        }

        if (!WebhookPayloads.Sources.Contains(source))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown webhook source",
                detail: $"'{source}' is not a webhook source. Use one of: {string.Join(", ", WebhookPayloads.Sources)}.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"Webhook bodies are at most {MaxBodyBytes} bytes.");
        }

        var body = buffer.ToArray();
        var problem = await secret.VerifyAsync(pathSecret, request.Headers.Authorization.FirstOrDefault(), request.Headers["X-Hub-Signature-256"].FirstOrDefault(), body, cancellationToken);
        if (problem is not null)
        {
            Log.WebhookRejected(logger, source, problem);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook not authenticated", detail: $"The delivery was refused: {problem}.");
        }

        WebhookPayloads.Outcome outcome;
        try
        {
            using var document = JsonDocument.Parse(body);
            outcome = WebhookPayloads.Parse(source, document.RootElement, request.Headers["X-GitHub-Event"].FirstOrDefault());
        }
        catch (JsonException e)
        {
            outcome = new WebhookPayloads.Outcome([], $"the body is not JSON ({e.Message})");
        }

        if (outcome.Error is not null)
        {
            Log.WebhookRejected(logger, source, outcome.Error);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Webhook payload not understood", detail: $"This {source} payload cannot be used: {outcome.Error}.");
        }

        if (outcome.Pushed.Count == 0)
        {
            return TypedResults.Ok(new WebhookResponse(null, [], "The delivery holds no push of a tagged image; nothing to check."));
        }

        var run = await checks.StartAsync(CheckScope.ForRepositories(outcome.Pushed), CheckTrigger.Webhook, cancellationToken);
        var names = outcome.Pushed.Select(p => p.ToString()).ToList();
        Log.WebhookAccepted(logger, source, string.Join(", ", names), run?.Id);
        return run is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many checks queued", detail: "The check queue is full; the registry may retry the delivery.")
            : TypedResults.Accepted($"/api/v1/checks/{run.Id}", new WebhookResponse(run.Id, names, $"Checking {string.Join(", ", names)}."));
    }
}
