using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.ApiKeys;

/// <summary>The outcome of checking a presented key: the key and its owner, or why it is refused.</summary>
internal sealed record ApiKeyValidation(ApiKeyRow? Key, UserRow? Owner, string? Failure)
{
    public static ApiKeyValidation Invalid(string failure) => new(null, null, failure);
}
