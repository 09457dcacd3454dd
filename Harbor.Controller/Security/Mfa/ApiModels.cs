namespace Harbor.Controller.Security.Mfa;

internal sealed record MfaCodeRequest(string? Code);

internal sealed record MfaDisableRequest(string? Password);

/// <summary>Recovery codes, shown this once. Each works one time in place of a TOTP code.</summary>
internal sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
