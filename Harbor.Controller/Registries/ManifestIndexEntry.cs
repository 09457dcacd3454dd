namespace Harbor.Controller.Registries;

/// <summary>One manifest listed in an image index or Docker manifest list.</summary>
internal sealed record ManifestIndexEntry(string Digest, string? MediaType, ImagePlatform? Platform, bool IsAttestation);
