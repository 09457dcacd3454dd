using Harbor.Controller.Features;
using Harbor.Controller.Security.Mfa;
using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Login;

/// <summary>
/// Checks a sign-in: lockout first, then the password (a decoy hash when the user does not exist, so
/// timing tells nothing), then the second factor for users who enrolled in MFA.
/// </summary>
internal sealed class LoginService(
    UserStore users,
    PasswordHashing passwords,
    MfaService mfa,
    LoginThrottle throttle,
    FeatureFlags features,
    ILogger<LoginService> logger)
{
    public async Task<LoginOutcome> SignInAsync(string userName, string password, string? code, string? remoteIp, CancellationToken cancellationToken)
    {
        if (throttle.LockedUntil(userName, remoteIp) is { } until)
        {
            Log.SignInFailed(logger, userName, remoteIp, "locked");
            return new LoginOutcome.Locked(until);
        }

        var user = UserNames.Check(userName) is null ? await users.FindByNameAsync(userName, cancellationToken) : null;
        if (user is null)
        {
            passwords.VerifyDecoy(password);
            return Fail(userName, remoteIp, "no such user");
        }

        if (!passwords.Verify(user.PasswordHash, password, out var rehash))
        {
            return Fail(userName, remoteIp, "wrong password");
        }

        if (user.Disabled != 0)
        {
            return Fail(userName, remoteIp, "user disabled");
        }

        if (features.MfaEnabled && user.TotpEnabled != 0)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new LoginOutcome.SecondFactorRequired();
            }

            if (!await mfa.VerifyAsync(user, code, cancellationToken))
            {
                return Fail(userName, remoteIp, "wrong or reused second-factor code");
            }
        }

        if (rehash)
        {
            await users.SetPasswordHashAsync(user.Id, passwords.Hash(password), cancellationToken);
        }

        throttle.RecordSuccess(userName);
        Log.SignedIn(logger, user.UserName, remoteIp);
        return new LoginOutcome.Success(user);
    }

    private LoginOutcome Fail(string userName, string? remoteIp, string reason)
    {
        throttle.RecordFailure(userName, remoteIp);
        Log.SignInFailed(logger, userName, remoteIp, reason);
        return throttle.LockedUntil(userName, remoteIp) is { } until ? new LoginOutcome.Locked(until) : new LoginOutcome.Invalid();
    }
}
