namespace Harbor.Controller.Checks;

/// <summary>The answer to a rotation: the new secret, shown this once, and when it took effect.</summary>
internal sealed record RotatedWebhookSecret(string Secret, DateTimeOffset RotatedAt);
