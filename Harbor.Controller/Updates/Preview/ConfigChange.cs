namespace Harbor.Controller.Updates.Preview;

/// <summary>
/// One difference between the running image's config and the update's. <c>Before</c>/<c>After</c> are
/// null when the entry is added or removed. <c>Overridden</c> is true when the container sets this
/// itself, so the image's change does not reach it (known for labels and published ports; the
/// inventory does not hold a container's own environment, command or user).
/// </summary>
public sealed record ConfigChange(string Field, string? Key, string? Before, string? After, bool Overridden);
