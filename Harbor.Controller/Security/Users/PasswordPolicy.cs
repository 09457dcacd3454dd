using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Users;

/// <summary>
/// Minimum password strength: long enough, not the user name, not one repeated pattern, not a
/// well-known password. Length matters most, so there are no character-class rules.
/// </summary>
internal sealed class PasswordPolicy(IOptions<SecurityOptions> options)
{
    public const int MaxLength = 1024;

    private static readonly HashSet<string> WellKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        "password1234", "password12345", "password123456", "123456789012", "1234567890123", "qwertyuiop12",
        "qwertyuiopasdf", "administrator", "letmein12345", "changeme1234", "harborharbor", "welcome12345",
        "iloveyou1234", "passwordpassword", "adminadminadmin", "000000000000", "111111111111", "abcdefghijkl",
    };

    /// <summary>Null when acceptable, else why not (safe to show the user).</summary>
    public string? Check(string? password, string userName)
    {
        var min = options.Value.PasswordMinLength;
        if (string.IsNullOrEmpty(password) || password.Length < min)
        {
            return $"The password must be at least {min} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"The password must be at most {MaxLength} characters.";
        }

        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not contain the user name.";
        }

        if (password.Distinct().Count() < 5)
        {
            return "The password must use at least 5 different characters.";
        }

        return WellKnown.Contains(password) ? "That password is too well known." : null;
    }
}
