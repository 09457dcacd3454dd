namespace Harbor.Agent.Updates;

/// <summary>
/// A step failed for a reason the user should read. <see cref="Code"/> is a short stable word for
/// metrics and the API (e.g. <c>exited</c>, <c>unhealthy</c>, <c>pull_failed</c>).
/// </summary>
internal sealed class JobFailure : Exception
{
    public JobFailure(string code, string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
        Code = code;
    }

    public JobFailure()
    {
        Code = "failed";
    }

    public JobFailure(string message) : base(message)
    {
        Code = "failed";
    }

    public JobFailure(string message, Exception innerException) : base(message, innerException)
    {
        Code = "failed";
    }

    public string Code { get; }

    /// <summary>The job must not start at all (nothing was touched): the outcome is "refused".</summary>
    public bool Refused { get; init; }
}
