using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.Setup;

/// <summary>
/// What creating the first admin did: the new user, or the fields that are wrong (nothing spent), or
/// a refusal with its status, title and detail (wrong token, setup already done).
/// </summary>
internal sealed record SetupOutcome(UserRow? User, Dictionary<string, string[]> Errors, int Status, string? Title, string? Detail)
{
    public static SetupOutcome Created(UserRow user) => new(user, new Dictionary<string, string[]>(), StatusCodes.Status201Created, null, null);

    public static SetupOutcome Invalid(Dictionary<string, string[]> errors) =>
        new(null, errors, StatusCodes.Status400BadRequest, "The first admin cannot be created like this.", null);

    public static SetupOutcome Refused(int status, string title, string? detail) => new(null, new Dictionary<string, string[]>(), status, title, detail);
}
