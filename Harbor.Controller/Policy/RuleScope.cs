using System.Text.RegularExpressions;

namespace Harbor.Controller.Policy;

/// <summary>What a rule applies to, from least to most specific (the more specific rule wins).</summary>
internal enum RuleScopeKind
{
    Global = 0,
    HostGroup = 1,
    Host = 2,
    ComposeProject = 3,
    Image = 4,
    Container = 5,
}

/// <summary>A rule's target: everything, a host group, a host, a Compose project, an image glob or a container-name glob.</summary>
internal sealed record RuleScope(RuleScopeKind Kind, string? Value)
{
    public bool Matches(ContainerFacts container) => Kind switch
    {
        RuleScopeKind.Global => true,
        RuleScopeKind.HostGroup => string.Equals(container.HostGroup, Value, StringComparison.OrdinalIgnoreCase),
        RuleScopeKind.Host => string.Equals(container.HostId, Value, StringComparison.Ordinal)
            || string.Equals(container.HostName, Value, StringComparison.OrdinalIgnoreCase),
        RuleScopeKind.ComposeProject => string.Equals(container.ComposeProject, Value, StringComparison.Ordinal),
        RuleScopeKind.Image => Glob(Value!).IsMatch(container.Image),
        RuleScopeKind.Container => Glob(Value!).IsMatch(container.Name),
        _ => false,
    };

    public string Describe() => Kind switch
    {
        RuleScopeKind.Global => "all containers",
        RuleScopeKind.HostGroup => $"host group {Value}",
        RuleScopeKind.Host => $"host {Value}",
        RuleScopeKind.ComposeProject => $"compose project {Value}",
        RuleScopeKind.Image => $"image {Value}",
        _ => $"container {Value}",
    };

    /// <summary>Null when valid, else why not.</summary>
    public string? Validate() => Kind switch
    {
        RuleScopeKind.Global when !string.IsNullOrEmpty(Value) => "a global rule has no scope value.",
        RuleScopeKind.Global => null,
        _ when string.IsNullOrWhiteSpace(Value) => $"a {Kind} rule needs a value (which {Kind} it applies to).",
        _ when Value!.Length > 256 => "the scope value is at most 256 characters.",
        _ => null,
    };

    /// <summary>'*' matches any run of characters, '?' one character; everything else is literal.</summary>
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
