using System.Globalization;
using System.Text.RegularExpressions;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Titles and bodies: <c>{{placeholder}}</c> templates over an event. Placeholders are the event's
/// common fields (type, host, hostId, container, project, image, reason, checkRunId, at) or any
/// payload field as <c>data.path</c>. Each event type has a default template; a rule can replace it.
/// </summary>
internal static partial class NotificationTemplates
{
    public const int MaxLength = 4000;

    public static readonly IReadOnlyList<string> Fields = ["type", "host", "hostId", "container", "project", "image", "reason", "checkRunId", "at"];

    private static readonly Dictionary<string, (string Title, string Body)> Defaults = new(StringComparer.Ordinal)
    {
        [NotificationEventTypes.UpdateAvailable] = ("Update available: {{container}}", "{{container}} on {{host}} can be updated ({{image}})."),
        [NotificationEventTypes.JobStarted] = ("Updating {{container}}", "Harbor is updating {{container}} on {{host}} to {{image}}."),
        [NotificationEventTypes.JobSucceeded] = ("Updated {{container}}", "{{container}} on {{host}} now runs {{image}}."),
        [NotificationEventTypes.JobFailed] = ("Update failed: {{container}}", "Updating {{container}} on {{host}} failed: {{reason}}"),
        [NotificationEventTypes.JobRolledBack] = ("Update rolled back: {{container}}", "{{container}} on {{host}} was rolled back: {{reason}}"),
        [NotificationEventTypes.RestartStarted] = ("Restarting {{container}}", "Harbor is restarting {{container}} on {{host}}: {{data.cause}}."),
        [NotificationEventTypes.RestartSucceeded] = ("Restarted {{container}}", "{{container}} on {{host}} was restarted: {{data.cause}}."),
        [NotificationEventTypes.RestartFailed] = ("Restart failed: {{container}}", "Restarting {{container}} on {{host}} ({{data.cause}}) failed: {{reason}}"),
        [NotificationEventTypes.ApprovalRequested] = ("Approval needed: {{container}}", "An update of {{container}} on {{host}} to {{image}} waits for approval."),
        [NotificationEventTypes.HostOffline] = ("Host offline: {{host}}", "The agent on {{host}} is offline."),
        [NotificationEventTypes.HostOnline] = ("Host online: {{host}}", "The agent on {{host}} is connected."),
        [NotificationEventTypes.CheckCompleted] = ("Check finished", "Check run {{checkRunId}} finished: {{data.updateAvailable}} updates available, {{data.errors}} errors."),
        [NotificationEventTypes.CheckFailed] = ("Check failed", "Check run {{checkRunId}} failed: {{reason}}"),
        [NotificationEventTypes.RateLimitLow] = ("Registry rate limit low: {{data.registry}}", "{{data.registry}} has {{data.remaining}} requests left."),
        [NotificationEventTypes.Test] = ("Harbor test notification", "This channel works: Harbor can reach it."),
    };

    public static string DefaultTitle(string type) => Defaults.TryGetValue(type, out var t) ? t.Title : "{{type}}";

    public static string DefaultBody(string type) =>
        Defaults.TryGetValue(type, out var t) ? t.Body : "{{type}}" + " on {{host}}";

    public static (string Title, string Body) Render(NotificationEvent e, string? titleTemplate, string? bodyTemplate) =>
        (Tidy(Render(titleTemplate ?? DefaultTitle(e.Type), e)), Tidy(Render(bodyTemplate ?? DefaultBody(e.Type), e)));

    public static string Render(string template, NotificationEvent e) =>
        Placeholder().Replace(template, match => Value(match.Groups[1].Value, e) ?? "");

    /// <summary>The placeholders a template uses that no event can fill; empty when it is valid.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template) =>
        [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value)
            .Where(name => !Fields.Contains(name) && !name.StartsWith("data.", StringComparison.Ordinal))
            .Distinct()];

    private static string? Value(string name, NotificationEvent e) => name switch
    {
        "type" => e.Type,
        "host" => e.Host,
        "hostId" => e.HostId,
        "container" => e.Container,
        "project" => e.Project,
        "image" => e.Image,
        "reason" => e.Reason,
        "checkRunId" => e.CheckRunId,
        "at" => e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        _ when name.StartsWith("data.", StringComparison.Ordinal) => e.Field(name["data.".Length..]),
        _ => null,
    };

    // A field that was empty leaves "  " or a trailing ": " behind; messages read better without.
    private static string Tidy(string text)
    {
        var tidy = Spaces().Replace(text, " ").Trim();
        tidy = tidy.TrimEnd(':', ' ');
        return tidy.Length > MaxLength ? tidy[..MaxLength] : tidy;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();
}
