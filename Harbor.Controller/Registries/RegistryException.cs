namespace Harbor.Controller.Registries;

/// <summary>A registry request failed; <see cref="Exception.Message"/> is the reason a user reads next to the container.</summary>
internal sealed class RegistryException : Exception
{
    public RegistryException()
    {
    }

    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegistryException(RegistryErrorKind kind, string registry, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Registry = registry;
    }

    public RegistryErrorKind Kind { get; }

    public string Registry { get; } = "";

    /// <summary>For <see cref="RegistryErrorKind.RateLimited"/>: when the registry said to come back.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
