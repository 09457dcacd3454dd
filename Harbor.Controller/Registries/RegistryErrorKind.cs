namespace Harbor.Controller.Registries;

/// <summary>Why a registry request failed, in the categories a user acts on differently.</summary>
internal enum RegistryErrorKind
{
    /// <summary>The repository or tag does not exist (deleted, renamed, typo).</summary>
    NotFound,

    /// <summary>The registry wants credentials, or refused the ones configured.</summary>
    Unauthorized,

    /// <summary>Authenticated, but not allowed to pull this repository.</summary>
    Denied,

    /// <summary>Too many requests; the registry said when to come back.</summary>
    RateLimited,

    /// <summary>No answer: connection refused, DNS failure, TLS failure or timeout.</summary>
    Unreachable,

    /// <summary>The registry answered with a server error or something that is not the Distribution API.</summary>
    Protocol,
}
