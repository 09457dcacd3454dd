namespace Harbor.Controller.Features;

internal sealed record FeatureResponse(string Name, bool Enabled, string Description);
