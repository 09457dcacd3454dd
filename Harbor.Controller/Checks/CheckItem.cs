using Harbor.Controller.Inventory;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Checks;

/// <summary>One container under a check key: its parsed reference and, when it tracks a semver range, the tag the range selected.</summary>
internal sealed record CheckItem(ContainerImage Container, ImageReference Reference, string? TargetTag);
