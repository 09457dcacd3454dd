namespace Harbor.Controller.Registries;

/// <summary>
/// The one error <see cref="ImageReference.Parse"/> throws: the input is not an image reference
/// under the distribution grammar. <see cref="Reason"/> says which rule it breaks, in words a user can act on.
/// </summary>
internal sealed class InvalidImageReferenceException : FormatException
{
    public InvalidImageReferenceException()
        : this("", "invalid reference format")
    {
    }

    public InvalidImageReferenceException(string message)
        : this("", message)
    {
    }

    public InvalidImageReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Input = "";
        Reason = message;
    }

    public InvalidImageReferenceException(string input, string reason)
        : base($"'{Truncate(input)}' is not a valid image reference: {reason}.")
    {
        Input = input;
        Reason = reason;
    }

    /// <summary>What was parsed.</summary>
    public string Input { get; }

    /// <summary>Why it is not a reference, e.g. "repository name (Foo/bar) must be lowercase".</summary>
    public string Reason { get; }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
