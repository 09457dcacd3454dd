using System.Security.Cryptography;

namespace Harbor.Controller.Registries;

/// <summary>OCI content digests (<c>algorithm:hex</c>): validation as go-digest does it, and sha256 of content.</summary>
internal static class ContentDigest
{
    /// <summary>Null when valid, else the reason (unsupported algorithm, wrong length, not lower-case hex).</summary>
    public static string? Validate(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return "invalid digest format";
        }

        var algorithm = digest[..colon];
        var hex = digest.AsSpan(colon + 1);
        int length;
        switch (algorithm)
        {
            case "sha256": length = 64; break;
            case "sha384": length = 96; break;
            case "sha512": length = 128; break;
            default: return $"unsupported digest algorithm '{algorithm}'";
        }

        if (hex.Length != length)
        {
            return $"invalid checksum digest length: {algorithm} needs {length} hex characters, not {hex.Length}";
        }

        foreach (var c in hex)
        {
            if (c is not (>= '0' and <= '9') and not (>= 'a' and <= 'f'))
            {
                return "invalid checksum digest format: the hex part must be lower-case hexadecimal";
            }
        }

        return null;
    }

    public static bool IsValid(string? digest) => digest is not null && Validate(digest) is null;

    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Whether <paramref name="content"/> hashes to <paramref name="digest"/> (sha256/384/512).</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var hex = digest[..colon] switch
        {
            "sha256" => Convert.ToHexStringLower(SHA256.HashData(content)),
            "sha384" => Convert.ToHexStringLower(SHA384.HashData(content)),
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(content)),
            _ => null,
        };
        return hex is not null && digest.AsSpan(colon + 1).SequenceEqual(hex);
    }
}
