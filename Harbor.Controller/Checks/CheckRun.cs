namespace Harbor.Controller.Checks;

/// <summary>A check run as queued: who asked and for what.</summary>
internal sealed record CheckRun(string Id, string TriggeredBy, CheckScope Scope, DateTimeOffset CreatedAt);
