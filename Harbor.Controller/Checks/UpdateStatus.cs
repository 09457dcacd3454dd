namespace Harbor.Controller.Checks;

/// <summary>A container's update status, as stored and as the API shows it.</summary>
internal static class UpdateStatus
{
    /// <summary>The registry's digest for the tag is the one the container runs.</summary>
    public const string UpToDate = "up-to-date";

    /// <summary>The tag points to different content than the container runs; the new digest is recorded.</summary>
    public const string UpdateAvailable = "update-available";

    /// <summary>The container was created from a reference with a digest: it runs exactly that, on purpose.</summary>
    public const string Pinned = "pinned";

    /// <summary>The image has no registry digest for its repository: built or loaded locally.</summary>
    public const string Local = "local";

    /// <summary>The check could not decide; the reason is recorded. Never shown as up to date.</summary>
    public const string Error = "error";

    /// <summary>Not checked yet (API filter value; never stored).</summary>
    public const string Unchecked = "unchecked";

    public static readonly IReadOnlyList<string> Filterable = [UpToDate, UpdateAvailable, Pinned, Local, Error, Unchecked];
}
