namespace Harbor.Controller.Notifications.Channels;

/// <summary>One setting of a channel type. Secret settings are encrypted at rest and masked on read.</summary>
internal sealed record ChannelField(string Name, ChannelFieldKind Kind, bool Required, bool Secret, string Description, int Min = 0, int Max = 0, IReadOnlyList<string>? Choices = null);
