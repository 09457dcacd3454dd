using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harbor.Agent.Journal;

/// <summary>
/// The journal's JSON, generated at compile time (the agent is published with NativeAOT, where reflection-based
/// serialization is unavailable). Web defaults (camelCase, case-insensitive reads), enums as their names, nulls left out:
/// the same files the reflection serializer wrote, so journals from earlier agents still load.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
