using Harbor.Controller.Inventory;

namespace Harbor.Controller.Updates.Preview;

/// <summary>What differs between two image configs, and which differences the container overrides.</summary>
internal static class ImageConfigDiff
{
    public const string Env = "env";
    public const string ExposedPort = "exposed port";
    public const string Volume = "volume";
    public const string Entrypoint = "entrypoint";
    public const string Cmd = "cmd";
    public const string User = "user";
    public const string WorkingDir = "working dir";
    public const string Label = "label";
    public const string Healthcheck = "healthcheck";

    /// <param name="current">The config of the image the container runs.</param>
    /// <param name="target">The config of the image the update installs.</param>
    /// <param name="containerLabels">The container's effective labels (image labels plus its own).</param>
    /// <param name="ports">The container's published ports.</param>
    public static IReadOnlyList<ConfigChange> Compare(ImageConfig current, ImageConfig target, IReadOnlyDictionary<string, string> containerLabels, IReadOnlyList<PortResponse> ports)
    {
        var changes = new List<ConfigChange>();
        foreach (var key in current.Env.Keys.Union(target.Env.Keys).Order(StringComparer.Ordinal))
        {
            var before = current.Env.GetValueOrDefault(key);
            var after = target.Env.GetValueOrDefault(key);
            if (before != after)
            {
                changes.Add(new ConfigChange(Env, key, before, after, false));
            }
        }

        var published = ports.Select(p => $"{p.ContainerPort}/{p.Protocol}").ToHashSet(StringComparer.OrdinalIgnoreCase);
        SetChanges(changes, ExposedPort, current.ExposedPorts, target.ExposedPorts, published.Contains);
        SetChanges(changes, Volume, current.Volumes, target.Volumes, _ => false);
        Value(changes, Entrypoint, Join(current.Entrypoint), Join(target.Entrypoint));
        Value(changes, Cmd, Join(current.Cmd), Join(target.Cmd));
        Value(changes, User, current.User, target.User);
        Value(changes, WorkingDir, current.WorkingDir, target.WorkingDir);
        foreach (var key in current.Labels.Keys.Union(target.Labels.Keys).Order(StringComparer.Ordinal))
        {
            var before = current.Labels.GetValueOrDefault(key);
            var after = target.Labels.GetValueOrDefault(key);
            if (before != after)
            {
                // The container's labels are the image's merged with its own: a value other than the
                // running image's was set on the container, and stays whatever the new image says.
                var overridden = containerLabels.TryGetValue(key, out var own) && own != before;
                changes.Add(new ConfigChange(Label, key, before, after, overridden));
            }
        }

        Value(changes, Healthcheck, current.Healthcheck, target.Healthcheck);
        return changes;
    }

    private static void SetChanges(List<ConfigChange> changes, string field, IReadOnlySet<string> before, IReadOnlySet<string> after, Func<string, bool> overridden)
    {
        foreach (var removed in before.Except(after).Order(StringComparer.Ordinal))
        {
            changes.Add(new ConfigChange(field, removed, removed, null, overridden(removed)));
        }

        foreach (var added in after.Except(before).Order(StringComparer.Ordinal))
        {
            changes.Add(new ConfigChange(field, added, null, added, overridden(added)));
        }
    }

    private static void Value(List<ConfigChange> changes, string field, string? before, string? after)
    {
        if (before != after)
        {
            changes.Add(new ConfigChange(field, null, before, after, false));
        }
    }

    private static string? Join(IReadOnlyList<string>? parts) => parts is null ? null : "[" + string.Join(", ", parts.Select(p => "\"" + p + "\"")) + "]";
}
