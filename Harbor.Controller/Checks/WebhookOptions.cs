namespace Harbor.Controller.Checks;

/// <summary>Section <c>Harbor:Controller:Webhooks</c>: the secret registry webhooks must present.</summary>
internal sealed class WebhookOptions
{
    public const string SectionName = "Harbor:Controller:Webhooks";

    /// <summary>
    /// The shared secret (at least 16 characters). When empty, the controller generates one in
    /// <c>&lt;data directory&gt;/webhook-secret</c> (owner-only) and logs where it is.
    /// </summary>
    public string? Secret { get; set; }
}
