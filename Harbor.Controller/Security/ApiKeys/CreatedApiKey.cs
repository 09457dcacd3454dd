namespace Harbor.Controller.Security.ApiKeys;

/// <summary>A new key: <c>Key</c> is shown this once and cannot be read back later.</summary>
internal sealed record CreatedApiKey(string Key, ApiKeyResponse ApiKey);
