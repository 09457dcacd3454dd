namespace Harbor.Controller.Web;

/// <summary>What a button did, as a message the page shows: a success, or a problem and what to do next.</summary>
public sealed record ActionResult(bool Ok, string Title, string Detail);
