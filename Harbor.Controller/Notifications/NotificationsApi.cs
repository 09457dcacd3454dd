using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Notifications;

/// <summary><c>/api/v1/notifications</c>: channels, Shoutrrr import, rules, template preview, test sends, dead letters.</summary>
internal static class NotificationsApi
{
    private const int MaxListed = 500;

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/notifications").WithTags("Notifications");
        group.MapGet("/channel-types", Types).WithName("ListNotificationChannelTypes").WithSummary("Every channel type with its settings (which are required, which are secret).");
        group.MapGet("/channels", ListChannels).WithName("ListNotificationChannels").WithSummary("Every channel; secret settings are masked.");
        group.MapGet("/channels/{id}", GetChannel).WithName("GetNotificationChannel").WithSummary("One channel; secret settings are masked.");
        group.MapPost("/channels", CreateChannel).WithName("CreateNotificationChannel").WithSummary("Adds a channel. Secret settings are encrypted at rest.");
        group.MapPut("/channels/{id}", UpdateChannel).WithName("UpdateNotificationChannel")
            .WithSummary("Replaces a channel's name, settings and enabled flag; a secret left out or sent back masked keeps its value.");
        group.MapDelete("/channels/{id}", DeleteChannel).WithName("DeleteNotificationChannel").WithSummary("Deletes a channel and its rules.");
        group.MapPost("/channels/import", Import).WithName("ImportNotificationChannel")
            .WithSummary("Creates a channel from a Shoutrrr URL (slack, discord, generic, ntfy, gotify, teams, telegram).");
        group.MapPost("/channels/{id}/test", Test).WithName("TestNotificationChannel").WithSummary("Sends a test message now (outside the outbox) and reports the receiver's answer.");
        group.MapGet("/rules", ListRules).WithName("ListNotificationRules").WithSummary("Every rule: which events go to which channel.");
        group.MapGet("/rules/{id}", GetRule).WithName("GetNotificationRule");
        group.MapPost("/rules", CreateRule).WithName("CreateNotificationRule").WithSummary("Adds a rule (event types, host/project filters, templates, digest mode).");
        group.MapPut("/rules/{id}", UpdateRule).WithName("UpdateNotificationRule").WithSummary("Replaces a rule.");
        group.MapDelete("/rules/{id}", DeleteRule).WithName("DeleteNotificationRule");
        group.MapPost("/templates/preview", Preview).WithName("PreviewNotificationTemplate").RequirePermission(Permission.Read).WithSummary("Renders a title/body template against an example event payload.");
        group.MapGet("/dead-letters", DeadLetters).WithName("ListNotificationDeadLetters").WithSummary("Messages Harbor gave up on, newest first, with the last error.");
        group.MapPost("/dead-letters/{id}/retry", Retry).WithName("RetryNotificationDeadLetter").WithSummary("Queues a dead letter again with a fresh set of attempts.");
        group.MapDelete("/dead-letters/{id}", DeleteDeadLetter).WithName("DeleteNotificationDeadLetter");
        group.MapGet("/outbox", Outbox).WithName("ListNotificationOutbox").WithSummary("Pending (default) or delivered messages, newest first.");
        return group;
    }

    private static Ok<IEnumerable<ChannelTypeResponse>> Types(NotificationService service) => TypedResults.Ok(service.Types());

    private static async Task<Ok<IReadOnlyList<ChannelResponse>>> ListChannels(NotificationService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListChannelsAsync(cancellationToken));

    private static async Task<Results<Ok<ChannelResponse>, ProblemHttpResult>> GetChannel(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.GetChannelAsync(id, cancellationToken) is { } channel ? TypedResults.Ok(channel) : ChannelNotFound(id);

    private static async Task<Results<Created<ChannelResponse>, ValidationProblem, ProblemHttpResult>> CreateChannel(
        ChannelRequest request, NotificationService service, CancellationToken cancellationToken)
    {
        var errors = service.ValidateChannel(request, null, out var values);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The channel is not valid.");
        }

        var created = await service.CreateChannelAsync(request.Name!, request.Type!, values, request.Enabled ?? true, cancellationToken);
        return created is null ? NameTaken(request.Name!) : TypedResults.Created($"/api/v1/notifications/channels/{created.Id}", created);
    }

    private static async Task<Results<Ok<ChannelResponse>, ValidationProblem, ProblemHttpResult>> UpdateChannel(
        string id, ChannelRequest request, NotificationService service, CancellationToken cancellationToken)
    {
        if (await service.FindChannelAsync(id, cancellationToken) is not { } existing)
        {
            return ChannelNotFound(id);
        }

        var errors = service.ValidateChannel(request, existing, out var values);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The channel is not valid.");
        }

        return await service.UpdateChannelAsync(existing, request.Name!, values, request.Enabled ?? existing.Enabled != 0, cancellationToken) is { } updated
            ? TypedResults.Ok(updated)
            : NameTaken(request.Name!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannel(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.DeleteChannelAsync(id, cancellationToken) ? TypedResults.NoContent() : ChannelNotFound(id);

    private static async Task<Results<Created<ImportChannelResponse>, ValidationProblem, ProblemHttpResult>> Import(
        ImportChannelRequest request, NotificationService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = ["A Shoutrrr URL is required, e.g. slack://hook:<token>@webhook."] }, title: "Nothing to import.");
        }

        var (type, settings, problem) = ShoutrrrUrl.Parse(request.Url.Trim());
        if (type is null || settings is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The Shoutrrr URL cannot be imported", detail: problem);
        }

        string? signingSecret = null;
        if (type == "webhook")
        {
            // Shoutrrr's generic service does not sign; Harbor's does, so the receiver needs this secret (shown once).
            signingSecret = Channels.StandardWebhookSignature.Generate();
            settings["secret"] = signingSecret;
        }

        var channelRequest = new ChannelRequest(string.IsNullOrWhiteSpace(request.Name) ? $"{type} (imported)" : request.Name, type, settings!, true);
        var errors = service.ValidateChannel(channelRequest, null, out var values);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The imported channel is not valid.");
        }

        var created = await service.CreateChannelAsync(channelRequest.Name!, type, values, true, cancellationToken);
        return created is null
            ? NameTaken(channelRequest.Name!)
            : TypedResults.Created($"/api/v1/notifications/channels/{created.Id}", new ImportChannelResponse(created, signingSecret));
    }

    private static async Task<Results<Ok<ChannelTestResponse>, ProblemHttpResult>> Test(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.FindChannelAsync(id, cancellationToken) is { } row ? TypedResults.Ok(await service.TestChannelAsync(row, cancellationToken)) : ChannelNotFound(id);

    private static async Task<Ok<IReadOnlyList<RuleResponse>>> ListRules(NotificationService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListRulesAsync(cancellationToken));

    private static async Task<Results<Ok<RuleResponse>, ProblemHttpResult>> GetRule(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.GetRuleAsync(id, cancellationToken) is { } rule ? TypedResults.Ok(rule) : RuleNotFound(id);

    private static async Task<Results<Created<RuleResponse>, ValidationProblem>> CreateRule(RuleRequest request, NotificationService service, CancellationToken cancellationToken)
    {
        var errors = await service.ValidateRuleAsync(request, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The rule is not valid.");
        }

        var rule = await service.SaveRuleAsync(null, request, cancellationToken);
        return TypedResults.Created($"/api/v1/notifications/rules/{rule.Id}", rule);
    }

    private static async Task<Results<Ok<RuleResponse>, ValidationProblem, ProblemHttpResult>> UpdateRule(
        string id, RuleRequest request, NotificationService service, CancellationToken cancellationToken)
    {
        if (await service.GetRuleAsync(id, cancellationToken) is null)
        {
            return RuleNotFound(id);
        }

        var errors = await service.ValidateRuleAsync(request, cancellationToken);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The rule is not valid.")
            : TypedResults.Ok(await service.SaveRuleAsync(id, request, cancellationToken));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.DeleteRuleAsync(id, cancellationToken) ? TypedResults.NoContent() : RuleNotFound(id);

    private static Results<Ok<PreviewResponse>, ValidationProblem> Preview(PreviewRequest request, NotificationService service)
    {
        var errors = NotificationService.ValidatePreview(request);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "The preview request is not valid.") : TypedResults.Ok(service.Preview(request));
    }

    private static async Task<Ok<IReadOnlyList<OutboxMessageResponse>>> DeadLetters(NotificationService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListOutboxAsync(OutboxStatus.Dead, MaxListed, cancellationToken));

    private static async Task<Results<Accepted, ProblemHttpResult>> Retry(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.RetryAsync(id, cancellationToken) ? TypedResults.Accepted((string?)null) : DeadLetterNotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteDeadLetter(string id, NotificationService service, CancellationToken cancellationToken) =>
        await service.DeleteDeadLetterAsync(id, cancellationToken) ? TypedResults.NoContent() : DeadLetterNotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<OutboxMessageResponse>>, ValidationProblem>> Outbox(string? status, NotificationService service, CancellationToken cancellationToken)
    {
        status ??= OutboxStatus.Pending;
        return status is OutboxStatus.Pending or OutboxStatus.Delivered or OutboxStatus.Dead
            ? TypedResults.Ok(await service.ListOutboxAsync(status, MaxListed, cancellationToken))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be pending, delivered or dead."] });
    }

    private static ProblemHttpResult ChannelNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Channel not found", detail: $"There is no notification channel with id '{id}'.");

    private static ProblemHttpResult RuleNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Rule not found", detail: $"There is no notification rule with id '{id}'.");

    private static ProblemHttpResult DeadLetterNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found", detail: $"There is no dead letter with id '{id}'.");

    private static ProblemHttpResult NameTaken(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Channel name taken", detail: $"Another channel is already called '{name.Trim()}'.");
}
