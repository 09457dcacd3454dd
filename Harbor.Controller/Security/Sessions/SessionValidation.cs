using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Sessions;

/// <summary>The outcome of checking a session cookie: the session and its user, or why it is not valid.</summary>
internal sealed record SessionValidation(SessionRow? Session, UserRow? User, string? Failure)
{
    public static SessionValidation Invalid(string failure) => new(null, null, failure);
}
