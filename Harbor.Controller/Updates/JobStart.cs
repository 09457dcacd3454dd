namespace Harbor.Controller.Updates;

/// <summary>The answer to a request to start a job: the job, or the problem that stopped it.</summary>
internal sealed record JobStart(JobResponse? Job, int Status, string? Title, string? Detail, string? Field)
{
    public static JobStart Started(JobResponse job) => new(job, StatusCodes.Status202Accepted, null, null, null);

    public static JobStart Problem(int status, string title, string detail) => new(null, status, title, detail, null);

    /// <summary>A request field is invalid (400 with the field named).</summary>
    public static JobStart Invalid(string field, string message) => new(null, StatusCodes.Status400BadRequest, "The request is not valid.", message, field);
}
