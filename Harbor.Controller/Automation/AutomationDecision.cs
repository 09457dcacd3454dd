namespace Harbor.Controller.Automation;

/// <summary>The engine's decision for one container, with the reason a user reads and, when waiting, until when.</summary>
internal sealed record AutomationDecision(AutomationAction Action, string Reason, DateTimeOffset? NotBefore = null);
