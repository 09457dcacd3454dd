namespace Harbor.Controller.Checks;

/// <summary>The webhook secret's origin (<see cref="WebhookSecretSource"/>) and last rotation, without the secret.</summary>
internal sealed record WebhookSecretInfo(string Source, DateTimeOffset? RotatedAt, string? RotatedBy);
