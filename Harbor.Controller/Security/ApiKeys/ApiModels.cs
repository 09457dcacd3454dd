namespace Harbor.Controller.Security.ApiKeys;

/// <summary><c>ExpiresInDays</c> null: the key never expires (for scrapers and CI; rotate it instead).</summary>
internal sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, int? ExpiresInDays);

/// <summary><c>GracePeriodHours</c>: how long the old key keeps working (default Harbor:Security:ApiKeyRotationGrace).</summary>
internal sealed record RotateApiKeyRequest(double? GracePeriodHours);
