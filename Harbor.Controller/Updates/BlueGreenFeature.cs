namespace Harbor.Controller.Updates;

/// <summary>
/// The <c>enable_blue_green</c> feature flag (<c>Harbor:Features:enable_blue_green</c>, default off), read
/// in this one place. Blue-green updates start the new container beside the old one; while the flag is
/// off every blue-green request is refused with the reason.
/// </summary>
/// <remarks>Belongs with the other feature flags (Features/FeatureFlags) once those land; only this class reads the key.</remarks>
internal sealed class BlueGreenFeature
{
    public const string SectionName = "Harbor:Features";

    public const string Key = SectionName + ":enable_blue_green";

    [ConfigurationKeyName("enable_blue_green")]
    public bool Enabled { get; set; }
}
