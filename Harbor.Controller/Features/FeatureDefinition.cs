namespace Harbor.Controller.Features;

/// <summary>One feature flag: its configuration name (<c>Harbor:Features:{Name}</c>), default and meaning.</summary>
internal sealed record FeatureDefinition(string Name, bool Default, string Description);
