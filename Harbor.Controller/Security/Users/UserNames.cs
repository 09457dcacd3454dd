namespace Harbor.Controller.Security.Users;

internal static class UserNames
{
    public const int MaxLength = 64;

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Check(string? userName) =>
        string.IsNullOrWhiteSpace(userName) || userName.Length > MaxLength
        || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? $"The user name must be 1-{MaxLength} characters of letters, digits, '.', '_', '-' or '@'."
            : null;
}
