namespace Harbor.Controller.Policy;

/// <summary>
/// A controller-side policy rule: a scope and the settings it sets (field → value as text, the same
/// values labels take). Among matching rules the most specific scope wins; for equal scopes the
/// higher priority, then the newer rule.
/// </summary>
internal sealed record PolicyRule(
    long Id,
    string Name,
    RuleScope Scope,
    int Priority,
    IReadOnlyDictionary<string, string> Settings,
    DateTimeOffset CreatedAt);
