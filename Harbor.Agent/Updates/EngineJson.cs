using System.Text.Json.Nodes;

namespace Harbor.Agent.Updates;

/// <summary>Tolerant reads of the engine's JSON: a missing or null field reads as empty, never throws.</summary>
internal static class EngineJson
{
    public static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    public static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(Text).Where(s => s.Length > 0) : [];

    public static IEnumerable<string> Keys(JsonNode? node) =>
        node is JsonObject obj ? obj.Select(p => p.Key) : [];

    public static bool Flag(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static long Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    /// <summary>The container's name without Docker's leading slash.</summary>
    public static string Name(JsonObject container) => Text(container["Name"]).TrimStart('/');
}
