namespace Harbor.Controller.Registries;

/// <summary>
/// An OS/architecture/variant, normalized the way containerd does it so that what the engine
/// reports (<c>x86_64</c>, <c>aarch64</c>, <c>armhf</c>) compares equal to what registries publish
/// (<c>amd64</c>, <c>arm64</c>, <c>arm/v7</c>).
/// </summary>
internal sealed record ImagePlatform
{
    private ImagePlatform(string os, string architecture, string variant)
    {
        Os = os;
        Architecture = architecture;
        Variant = variant;
    }

    public string Os { get; }

    public string Architecture { get; }

    /// <summary>Empty when the architecture has no variant or uses its default (arm64 = v8).</summary>
    public string Variant { get; }

    public static ImagePlatform Create(string? os, string? architecture, string? variant = null)
    {
        var normalizedOs = (os ?? "").Trim().ToLowerInvariant() switch
        {
            "" => "linux",
            "macos" => "darwin",
            var other => other,
        };
        var arch = (architecture ?? "").Trim().ToLowerInvariant();
        var v = (variant ?? "").Trim().ToLowerInvariant();
        if (v.Length > 0 && char.IsAsciiDigit(v[0]))
        {
            v = "v" + v;
        }

        (arch, v) = arch switch
        {
            "i386" or "i686" or "x86" => ("386", ""),
            "x86_64" or "x86-64" or "amd64" => ("amd64", v is "v1" ? "" : v),
            "aarch64" or "arm64" => ("arm64", v is "v8" or "v8.0" ? "" : v),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "armv8l" or "armv8" => ("arm", "v8"),
            "armv7l" or "armv7" => ("arm", "v7"),
            "armv6l" or "armv6" => ("arm", "v6"),
            "armv5tel" or "armv5l" or "armv5" => ("arm", "v5"),
            "arm" => ("arm", v.Length == 0 ? "v7" : v),
            _ => (arch, v),
        };
        return new ImagePlatform(normalizedOs, arch, v);
    }

    /// <summary>Parses <c>os/arch[/variant]</c> as the inventory stores it; null when empty.</summary>
    public static ImagePlatform? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split('/');
        return parts.Length switch
        {
            1 => Create("linux", parts[0]),
            2 => Create(parts[0], parts[1]),
            _ => Create(parts[0], parts[1], parts[2]),
        };
    }

    /// <summary>Variants this platform can run, best first (an arm/v7 host runs v6 and v5 images too).</summary>
    public IEnumerable<ImagePlatform> CompatibleVariants()
    {
        yield return this;
        if (Architecture == "arm")
        {
            var order = new[] { "v8", "v7", "v6", "v5" };
            var at = Array.IndexOf(order, Variant);
            if (at >= 0)
            {
                foreach (var lower in order.Skip(at + 1))
                {
                    yield return new ImagePlatform(Os, Architecture, lower);
                }
            }
        }
        else if (Architecture == "amd64" && Variant.Length > 0)
        {
            for (var level = Variant[^1] - '0' - 1; level >= 2; level--)
            {
                yield return new ImagePlatform(Os, Architecture, "v" + level);
            }

            yield return new ImagePlatform(Os, Architecture, "");
        }
    }

    public override string ToString() => Variant.Length == 0 ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
