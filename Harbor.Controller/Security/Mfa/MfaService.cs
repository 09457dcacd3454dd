using Harbor.Controller.Security.Secrets;
using Harbor.Controller.Security.Users;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Mfa;

/// <summary>
/// TOTP enrolment (secret encrypted at rest, confirmed by a first code), verification at sign-in
/// (each time step accepted once), and recovery codes.
/// </summary>
internal sealed class MfaService(UserStore users, SecretProtector protector, TimeProvider timeProvider, IOptions<SecurityOptions> options)
{
    /// <summary>Starts (or restarts) enrolment; MFA is not required until <see cref="ConfirmAsync"/> succeeds.</summary>
    public async Task<MfaEnrolment> BeginAsync(UserRow user, CancellationToken cancellationToken)
    {
        var secret = TotpCodes.NewSecret();
        await users.SetPendingTotpAsync(user.Id, protector.Protect(TotpCodes.ToBase32(secret)), cancellationToken);
        var uri = TotpCodes.OtpAuthUri(options.Value.TotpIssuer, user.UserName, secret);
        return new MfaEnrolment(TotpCodes.ToBase32(secret), uri, QrCodeSvg.Render(uri));
    }

    /// <summary>Turns MFA on when the code matches the pending secret; returns the recovery codes (shown once), else null.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(UserRow user, string? code, CancellationToken cancellationToken)
    {
        if (user.TotpSecret is null)
        {
            return null;
        }

        var step = TotpCodes.Verify(SecretOf(user), code, timeProvider.GetUtcNow());
        if (step is null)
        {
            return null;
        }

        var codes = RecoveryCodes.Generate();
        await users.EnableTotpAsync(user.Id, step.Value, codes.Select(RecoveryCodes.Hash), cancellationToken);
        return codes;
    }

    /// <summary>A second factor at sign-in: a current TOTP code not used before, or an unused recovery code.</summary>
    public async Task<bool> VerifyAsync(UserRow user, string? code, CancellationToken cancellationToken)
    {
        if (user.TotpEnabled == 0 || user.TotpSecret is null || string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        if (RecoveryCodes.LooksLikeOne(code))
        {
            return await users.TryUseRecoveryCodeAsync(user.Id, RecoveryCodes.Hash(code), cancellationToken);
        }

        var step = TotpCodes.Verify(SecretOf(user), code, timeProvider.GetUtcNow());
        return step is not null && await users.TryAcceptTotpStepAsync(user.Id, step.Value, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(UserRow user, CancellationToken cancellationToken)
    {
        var codes = RecoveryCodes.Generate();
        await users.ReplaceRecoveryCodesAsync(user.Id, codes.Select(RecoveryCodes.Hash), cancellationToken);
        return codes;
    }

    private byte[] SecretOf(UserRow user) => TotpCodes.FromBase32(protector.Unprotect(user.TotpSecret!));
}
