namespace Harbor.Controller.Checks;

/// <summary>Where the webhook secret in use comes from (shown on the Registries page).</summary>
internal static class WebhookSecretSource
{
    /// <summary><c>Harbor:Controller:Webhooks:Secret</c>, until the first rotation.</summary>
    public const string Configuration = "configuration";

    /// <summary>Generated into <c>&lt;data directory&gt;/webhook-secret</c> (nothing configured, never rotated).</summary>
    public const string Generated = "generated";

    /// <summary>Rotated by an admin and stored (encrypted) in the database; wins over the other two.</summary>
    public const string Rotated = "rotated";
}
