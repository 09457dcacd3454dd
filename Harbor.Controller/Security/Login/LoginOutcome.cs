using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Login;

/// <summary>How a sign-in attempt ended. Invalid and Locked look the same for existing and unknown users.</summary>
internal abstract record LoginOutcome
{
    public sealed record Success(UserRow User) : LoginOutcome;

    public sealed record Invalid : LoginOutcome;

    /// <summary>The password was right; a TOTP or recovery code is needed too.</summary>
    public sealed record SecondFactorRequired : LoginOutcome;

    public sealed record Locked(DateTimeOffset Until) : LoginOutcome;
}
