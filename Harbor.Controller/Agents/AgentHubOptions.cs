using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Agents;

/// <summary>Section <c>Harbor:Controller:Agents</c>: how the controller talks to agents.</summary>
internal sealed class AgentHubOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Controller:Agents";

    /// <summary>
    /// Development mode only (ASPNETCORE_ENVIRONMENT=Development, as under the Aspire AppHost): a shared
    /// token agents present over plain HTTP/2 instead of enrolling and using TLS. Empty (the default):
    /// the agent hub serves TLS with the controller's own CA and accepts enrolled agents only.
    /// </summary>
    public string? DevToken { get; set; }

    public bool DevMode => !string.IsNullOrWhiteSpace(DevToken);

    /// <summary>
    /// The agent container image the enrollment commands (first-run wizard, Hosts page) name, e.g. a mirror
    /// in a private registry. Default: <c>harbor/agent:&lt;this controller's version&gt;</c>, what eng/agent-image.sh builds.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$", ErrorMessage = "The agent image must be an image reference (repository[:tag][@digest]) without spaces or shell characters: it is pasted into a shell command.")]
    public string? AgentImage { get; set; }

    public string ResolveAgentImage() =>
        string.IsNullOrWhiteSpace(AgentImage) ? $"harbor/agent:{typeof(AgentHubOptions).Assembly.GetName().Version?.ToString(3) ?? "latest"}" : AgentImage;

    /// <summary>
    /// The agent hub's address as agents reach it, when that differs from where it listens: behind a published
    /// container port, NAT or a proxy (e.g. <c>https://nas.lan:9481</c>). The enrollment commands name it.
    /// Default: the listen address, a wildcard host replaced by the host the browser reached the controller on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// A file the controller writes a single-use enrollment token to at start, for an agent beside it that
    /// reads it (<c>Harbor:Agent:EnrollmentTokenFile</c>; docker compose: a volume both mount), so the two
    /// come up together without anyone copying a token. Unset (the default): no such token.
    /// </summary>
    public string? LocalAgentTokenFile { get; set; }

    /// <summary>How often each side sends a heartbeat (told to the agent in Welcome).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A host is offline when nothing arrived from its agent for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "01:00:00")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a new stream may take to say Hello.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OfflineAfter <= HeartbeatInterval)
        {
            yield return new ValidationResult(
                $"{nameof(OfflineAfter)} ({OfflineAfter}) must be longer than {nameof(HeartbeatInterval)} ({HeartbeatInterval}), " +
                "or every host would flap offline between heartbeats.",
                [nameof(OfflineAfter)]);
        }

        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme != (DevMode ? Uri.UriSchemeHttp : Uri.UriSchemeHttps)
                || publicUrl.PathAndQuery != "/" || !string.IsNullOrEmpty(publicUrl.UserInfo)))
        {
            yield return new ValidationResult(
                $"{nameof(PublicUrl)} '{PublicUrl}' must be an absolute {(DevMode ? "http" : "https")}:// address of the agent hub without a path, " +
                $"e.g. {(DevMode ? "http" : "https")}://harbor.lan:8481" + (DevMode ? " (development mode serves plain HTTP/2)." : " (agents speak TLS to the hub)."),
                [nameof(PublicUrl)]);
        }

        if (DevToken is { Length: > 0 and < 16 })
        {
            yield return new ValidationResult("The dev token must be at least 16 characters.", [nameof(DevToken)]);
        }
    }
}
