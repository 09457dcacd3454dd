using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harbor.Controller.Data;
using Harbor.Controller.Notifications.Channels;

namespace Harbor.Controller.Notifications;

/// <summary>What the notifications API does: validates input, keeps secrets masked, and reaches the stores and the sender.</summary>
internal sealed partial class NotificationService(
    ChannelCatalog catalog,
    ChannelStore channels,
    RuleStore rules,
    Outbox outbox,
    NotificationSender sender,
    TimeProvider timeProvider,
    ILogger<NotificationService> logger)
{
    public const string Mask = "********";
    public const int MaxNameLength = 100;

    public IEnumerable<ChannelTypeResponse> Types() =>
        catalog.All.Select(c => new ChannelTypeResponse(c.Type, [.. c.Fields.Select(f => new ChannelFieldResponse(f.Name, f.Kind.ToString().ToLowerInvariant(), f.Required, f.Secret, f.Description, f.Choices))]));

    public async Task<IReadOnlyList<ChannelResponse>> ListChannelsAsync(CancellationToken cancellationToken) =>
        [.. (await channels.ListAsync(cancellationToken)).Select(ToResponse)];

    public async Task<ChannelResponse?> GetChannelAsync(string id, CancellationToken cancellationToken) =>
        await channels.FindAsync(id, cancellationToken) is { } row ? ToResponse(row) : null;

    /// <summary>Validation errors by field; empty when the channel can be stored.</summary>
    public Dictionary<string, string[]> ValidateChannel(ChannelRequest request, ChannelRow? existing, out Dictionary<string, string> values)
    {
        var errors = new Dictionary<string, string[]>();
        values = [];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];
        }

        var type = existing?.Type ?? request.Type;
        if (existing is not null && request.Type is not null && request.Type != existing.Type)
        {
            errors["type"] = [$"A channel's type cannot change (it is '{existing.Type}'); create a new channel instead."];
            return errors;
        }

        if (type is null || catalog.Find(type) is not { } channel)
        {
            errors["type"] = [$"Type must be one of: {string.Join(", ", catalog.All.Select(c => c.Type))}."];
            return errors;
        }

        var stored = existing is null ? null : channels.Decrypt(existing).Values;
        var given = request.Settings ?? [];
        foreach (var name in given.Keys.Where(k => channel.Fields.All(f => f.Name != k)))
        {
            errors["settings." + name] = [$"'{name}' is not a {type} setting. Settings: {string.Join(", ", channel.Fields.Select(f => f.Name))}."];
        }

        foreach (var field in channel.Fields)
        {
            var value = given.GetValueOrDefault(field.Name)?.Trim();
            if (field.Secret && (value is null || value == Mask) && stored?.GetValueOrDefault(field.Name) is { Length: > 0 } kept)
            {
                value = kept;
            }

            if (string.IsNullOrEmpty(value))
            {
                if (field.Required)
                {
                    errors["settings." + field.Name] = [$"'{field.Name}' is required: {field.Description}"];
                }

                continue;
            }

            if (FieldProblem(channel, field, value) is { } problem)
            {
                errors["settings." + field.Name] = [problem];
                continue;
            }

            values[field.Name] = value;
        }

        foreach (var (name, problem) in channel.SettingsProblems(values))
        {
            errors.TryAdd("settings." + name, [problem]);
        }

        return errors;
    }

    public async Task<ChannelResponse?> CreateChannelAsync(string name, string type, Dictionary<string, string> values, bool enabled, CancellationToken cancellationToken)
    {
        var row = await channels.CreateAsync(name.Trim(), type, values, enabled, cancellationToken);
        if (row is not null)
        {
            Log.ChannelChanged(logger, row.Id, row.Type, "created");
        }

        return row is null ? null : ToResponse(row);
    }

    /// <summary>Null when the name belongs to another channel.</summary>
    public async Task<ChannelResponse?> UpdateChannelAsync(ChannelRow existing, string name, Dictionary<string, string> values, bool enabled, CancellationToken cancellationToken)
    {
        if (!await channels.UpdateAsync(existing, name.Trim(), values, enabled, cancellationToken))
        {
            return null;
        }

        rules.Forget();
        Log.ChannelChanged(logger, existing.Id, existing.Type, "updated");
        return await GetChannelAsync(existing.Id, cancellationToken);
    }

    public async Task<bool> DeleteChannelAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await channels.DeleteAsync(id, cancellationToken);
        rules.Forget();
        if (deleted)
        {
            Log.ChannelChanged(logger, id, "-", "deleted");
        }

        return deleted;
    }

    public Task<ChannelRow?> FindChannelAsync(string id, CancellationToken cancellationToken) => channels.FindAsync(id, cancellationToken);

    /// <summary>Sends a test message now, outside the outbox, and says what the receiver answered.</summary>
    public async Task<ChannelTestResponse> TestChannelAsync(ChannelRow row, CancellationToken cancellationToken)
    {
        var channel = catalog.Find(row.Type)!;
        ChannelSettings settings;
        try
        {
            settings = channels.Decrypt(row);
        }
        catch (ChannelSecretsLostException e)
        {
            return new ChannelTestResponse(false, null, e.Message);
        }

        var e2 = NotificationEvent.Create("test", NotificationEventTypes.Test, timeProvider.GetUtcNow(), null, JsonSerializer.SerializeToElement(new { channel = row.Name }));
        var (title, body) = NotificationTemplates.Render(e2, null, null);
        var message = new NotificationMessage("test_" + Guid.CreateVersion7().ToString("N"), e2.Type, title, body, e2.At, null, e2.Data);
        var result = await sender.SendAsync(channel, settings, message, cancellationToken);
        return new ChannelTestResponse(result.Delivered, result.StatusCode, result.Error);
    }

    public async Task<IReadOnlyList<RuleResponse>> ListRulesAsync(CancellationToken cancellationToken)
    {
        var list = new List<RuleResponse>();
        foreach (var rule in await rules.AllAsync(cancellationToken))
        {
            if (await GetRuleAsync(rule.Id, cancellationToken) is { } response)
            {
                list.Add(response);
            }
        }

        return list;
    }

    public async Task<RuleResponse?> GetRuleAsync(string id, CancellationToken cancellationToken) =>
        await rules.FindWithTimesAsync(id, cancellationToken) is var (rule, created, updated) ? ToResponse(rule, created, updated) : null;

    public async Task<Dictionary<string, string[]>> ValidateRuleAsync(RuleRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength)
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];
        }

        if (string.IsNullOrWhiteSpace(request.ChannelId) || await channels.FindAsync(request.ChannelId, cancellationToken) is null)
        {
            errors["channelId"] = ["channelId must name an existing channel (GET /api/v1/notifications/channels)."];
        }

        if (request.EventTypes is not { Count: > 0 })
        {
            errors["eventTypes"] = ["List at least one event type, e.g. [\"job.failed\", \"update.*\"] (\"*\" is every event)."];
        }
        else if (request.EventTypes.FirstOrDefault(t => t != "*" && !EventTypePattern().IsMatch(t ?? "")) is { } bad)
        {
            errors["eventTypes"] = [$"'{bad}' is not an event type or pattern (lower-case dotted names, optionally ending in .*)."];
        }

        AddTemplateErrors(errors, "titleTemplate", request.TitleTemplate);
        AddTemplateErrors(errors, "bodyTemplate", request.BodyTemplate);
        if (request.Digest == true && !errors.ContainsKey("eventTypes")
            && !request.EventTypes!.Any(t => t == "*" || Events.EventsApi.Matches(t, NotificationEventTypes.UpdateAvailable)))
        {
            errors["digest"] = ["Digest mode collects a check run's events: the rule's event types must include update.available (or a pattern matching it)."];
        }

        return errors;
    }

    public async Task<RuleResponse> SaveRuleAsync(string? id, RuleRequest request, CancellationToken cancellationToken)
    {
        var rule = new NotificationRule(
            id ?? Guid.CreateVersion7().ToString("N"),
            request.Name!.Trim(),
            request.ChannelId!,
            [.. request.EventTypes!.Distinct()],
            Blank(request.HostId),
            Blank(request.Project),
            request.Digest ?? false,
            Blank(request.TitleTemplate),
            Blank(request.BodyTemplate),
            request.Enabled ?? true);
        await rules.SaveAsync(rule, cancellationToken);
        return (await GetRuleAsync(rule.Id, cancellationToken))!;
    }

    public Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken) => rules.DeleteAsync(id, cancellationToken);

    public static Dictionary<string, string[]> ValidatePreview(PreviewRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.EventType) || (request.EventType != "*" && !EventTypePattern().IsMatch(request.EventType)))
        {
            errors["eventType"] = ["eventType is required, e.g. \"job.failed\"."];
        }

        if (request.Data is { } data && data.ValueKind != JsonValueKind.Object)
        {
            errors["data"] = ["data must be a JSON object (the event's payload)."];
        }

        AddTemplateErrors(errors, "titleTemplate", request.TitleTemplate);
        AddTemplateErrors(errors, "bodyTemplate", request.BodyTemplate);
        return errors;
    }

    public PreviewResponse Preview(PreviewRequest request)
    {
        var data = request.Data ?? JsonSerializer.SerializeToElement(new { });
        var e = NotificationEvent.Create("preview", request.EventType!, timeProvider.GetUtcNow(), Blank(request.HostId), data);
        var (title, body) = NotificationTemplates.Render(e, Blank(request.TitleTemplate), Blank(request.BodyTemplate));
        return new PreviewResponse(title, body, NotificationTemplates.DefaultTitle(e.Type), NotificationTemplates.DefaultBody(e.Type));
    }

    public async Task<IReadOnlyList<OutboxMessageResponse>> ListOutboxAsync(string status, int limit, CancellationToken cancellationToken) =>
        [.. (await outbox.ListAsync(status, limit, cancellationToken)).Select(ToResponse)];

    public Task<bool> RetryAsync(string id, CancellationToken cancellationToken) => outbox.RetryAsync(id, cancellationToken);

    public Task<bool> DeleteDeadLetterAsync(string id, CancellationToken cancellationToken) => outbox.DeleteDeadAsync(id, cancellationToken);

    private static void AddTemplateErrors(Dictionary<string, string[]> errors, string field, string? template)
    {
        if (template is null)
        {
            return;
        }

        if (template.Length > NotificationTemplates.MaxLength)
        {
            errors[field] = [$"A template may have at most {NotificationTemplates.MaxLength} characters."];
        }
        else if (NotificationTemplates.UnknownPlaceholders(template) is { Count: > 0 } unknown)
        {
            errors[field] = [$"Unknown placeholder(s): {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}. Use {string.Join(", ", NotificationTemplates.Fields.Select(f => "{{" + f + "}}"))} or {{{{data.<field>}}}}."];
        }
    }

    private static string? FieldProblem(INotificationChannel channel, ChannelField field, string value)
    {
        switch (field.Kind)
        {
            case ChannelFieldKind.Url when !Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp):
                return $"'{field.Name}' must be an absolute http(s) URL.";
            case ChannelFieldKind.Integer when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < field.Min || number > field.Max:
                return $"'{field.Name}' must be a whole number from {field.Min} to {field.Max}.";
            case ChannelFieldKind.Choice when field.Choices?.Contains(value, StringComparer.Ordinal) != true:
                return $"'{field.Name}' must be one of: {string.Join(", ", field.Choices ?? [])}.";
            case ChannelFieldKind.Boolean when value is not ("true" or "false"):
                return $"'{field.Name}' must be true or false.";
        }

        return channel.FieldProblem(field.Name, value);
    }

    private ChannelResponse ToResponse(ChannelRow row)
    {
        var channel = catalog.Find(row.Type);
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [];
        IReadOnlyDictionary<string, string> secrets;
        try
        {
            secrets = channels.Decrypt(row).Values;
        }
        catch (ChannelSecretsLostException)
        {
            secrets = new Dictionary<string, string>();
        }

        // A secret shows only that it is set: the mask, never a prefix or length.
        foreach (var field in channel?.Fields.Where(f => f.Secret) ?? [])
        {
            if (secrets.GetValueOrDefault(field.Name) is { Length: > 0 })
            {
                settings[field.Name] = Mask;
            }
        }

        return new ChannelResponse(row.Id, row.Name, row.Type, row.Enabled != 0, settings, DbTime.Parse(row.CreatedAt), DbTime.Parse(row.UpdatedAt));
    }

    private static RuleResponse ToResponse(NotificationRule rule, DateTimeOffset created, DateTimeOffset updated) =>
        new(rule.Id, rule.Name, rule.ChannelId, rule.EventTypes, rule.HostId, rule.Project, rule.Digest, rule.TitleTemplate, rule.BodyTemplate, rule.Enabled, created, updated);

    private static OutboxMessageResponse ToResponse(OutboxRow row) =>
        new(row.Id, row.ChannelId, row.RuleId, row.EventType, row.HostId, row.Title, row.Body, row.Status, row.Attempts, row.LastError,
            DbTime.Parse(row.OccurredAt), DbTime.Parse(row.CreatedAt), DbTime.Parse(row.NextAttemptAt), DbTime.ParseOrNull(row.DeliveredAt));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$")]
    private static partial Regex EventTypePattern();
}
