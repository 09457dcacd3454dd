using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Setup;

/// <summary>
/// The first-run rule, once for the API (<c>POST /api/v1/setup</c>) and the setup page: validate the
/// name and password, then spend the setup token, then create the admin.
/// </summary>
internal sealed class FirstAdminCreation(FirstRunSetup setup, UserStore users, PasswordHashing passwords, PasswordPolicy policy, ILogger<FirstRunSetup> logger)
{
    public const string AlreadyDone = "Setup is already done";

    public bool Pending => setup.Pending;

    public async Task<SetupOutcome> CreateAsync(string? setupToken, string? userName, string? password, string? remoteIp, CancellationToken cancellationToken)
    {
        if (!setup.Pending)
        {
            Log.SetupRejected(logger, remoteIp, "setup is already done");
            return SetupOutcome.Refused(StatusCodes.Status409Conflict, AlreadyDone, "The first admin exists. Sign in, or ask an admin for an account.");
        }

        var errors = new Dictionary<string, string[]>();
        if (UserNames.Check(userName) is { } nameProblem)
        {
            errors["userName"] = [nameProblem];
        }
        else if (policy.Check(password, userName!) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        if (errors.Count > 0)
        {
            return SetupOutcome.Invalid(errors);
        }

        // Validated first, spent second: a typo in the password does not burn the token.
        if (!setup.TrySpend(setupToken))
        {
            Log.SetupRejected(logger, remoteIp, "wrong setup token");
            return SetupOutcome.Refused(StatusCodes.Status403Forbidden, "The setup token is not valid",
                "Use the token printed in the controller's log at start-up (event SetupTokenIssued). It works once.");
        }

        var user = await users.CreateFirstAdminAsync(userName!, passwords.Hash(password!), cancellationToken);
        if (user is null)
        {
            Log.SetupRejected(logger, remoteIp, "a user already exists");
            return SetupOutcome.Refused(StatusCodes.Status409Conflict, AlreadyDone, null);
        }

        Log.SetupCompleted(logger, user.UserName, remoteIp);
        return SetupOutcome.Created(user);
    }
}
