using System.Globalization;

namespace Harbor.Controller.Features;

/// <summary>
/// Feature flags, the one place they live: section <c>Harbor:Features</c>, read once at start-up
/// (changing one needs a restart) and shown at <c>GET /api/v1/features</c>. A flag joins by adding
/// a constant and a line to <see cref="Known"/>; an unknown name or a value that is not a boolean
/// stops the controller at start-up, so a typo cannot silently leave a feature off.
/// </summary>
internal sealed class FeatureFlags
{
    public const string SectionName = "Harbor:Features";

    public const string Mfa = "enable_mfa";
    public const string Rbac = "enable_rbac";
    public const string BlueGreen = "enable_blue_green";
    public const string Kubernetes = "enable_kubernetes";

    public static IReadOnlyList<FeatureDefinition> Known { get; } =
    [
        new(Mfa, false, "TOTP two-factor authentication: enrolment, recovery codes, and a code at login for users who enrolled."),
        new(Rbac, false, "Role-based access (admin, operator, viewer; optional host-group limits). When off, every user is an admin."),
        new(BlueGreen, false, "Blue-green updates: the new container starts beside the old one on the same network aliases before the old one stops."),
        new(Kubernetes, false, "Reserved for a Kubernetes agent; has no effect in this version."),
    ];

    private readonly Dictionary<string, bool> values;

    public FeatureFlags(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        values = Known.ToDictionary(f => f.Name, f => f.Default, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!values.ContainsKey(child.Key))
            {
                throw new InvalidOperationException(
                    $"Unknown feature flag '{SectionName}:{child.Key}'. Known flags: {string.Join(", ", Known.Select(f => f.Name))}.");
            }

            values[child.Key] = bool.TryParse(child.Value, out var enabled)
                ? enabled
                : throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"Feature flag '{SectionName}:{child.Key}' must be true or false, not '{child.Value}'."));
        }
    }

    public bool MfaEnabled => IsEnabled(Mfa);

    public bool RbacEnabled => IsEnabled(Rbac);

    public bool IsEnabled(string name) =>
        values.TryGetValue(name, out var enabled) ? enabled : throw new ArgumentException($"No feature flag named '{name}'.", nameof(name));

    /// <summary>Every flag with its current value, in declaration order.</summary>
    public IReadOnlyList<(FeatureDefinition Definition, bool Enabled)> All => [.. Known.Select(f => (f, values[f.Name]))];
}
