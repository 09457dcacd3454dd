using System.Text.Json.Nodes;

namespace Harbor.Agent.Docker;

/// <summary>One progress message of a pull: a layer's status and, while downloading, its bytes.</summary>
/// <param name="LayerId">The layer (short id), or null for messages about the whole image.</param>
/// <param name="Status">e.g. "Downloading", "Pull complete", "Digest: sha256:…".</param>
/// <param name="Current">Bytes of the layer done so far, while downloading or extracting.</param>
/// <param name="Total">The layer's size in bytes, when known.</param>
internal sealed record PullProgress(string? LayerId, string Status, long? Current, long? Total)
{
    public static PullProgress From(JsonObject message)
    {
        var detail = message["progressDetail"] as JsonObject;
        return new PullProgress(
            message["id"]?.GetValue<string>(),
            message["status"]?.GetValue<string>() ?? "",
            detail?["current"]?.GetValue<long>(),
            detail?["total"]?.GetValue<long>());
    }
}
