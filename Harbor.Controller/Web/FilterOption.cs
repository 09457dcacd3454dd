namespace Harbor.Controller.Web;

/// <summary>One choice of a filter drop-down: the value it filters by and what the user reads.</summary>
public sealed record FilterOption(string Value, string Text);
