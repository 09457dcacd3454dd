namespace Harbor.Controller.Updates.Preview;

/// <summary>Why there is no update preview, as the API answers it (and the UI shows it).</summary>
internal sealed record PreviewProblem(int StatusCode, string Title, string? Detail);
