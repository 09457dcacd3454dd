namespace Harbor.Controller.Checks;

/// <summary>One registry question per run: what does this tag of this repository point to now?</summary>
internal sealed record CheckKey(string Registry, string Repository, string Tag);
