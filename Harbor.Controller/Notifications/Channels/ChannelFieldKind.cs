namespace Harbor.Controller.Notifications.Channels;

internal enum ChannelFieldKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>An absolute http(s) URL.</summary>
    Url,

    /// <summary>A whole number between the field's Min and Max.</summary>
    Integer,

    /// <summary>One of the field's Choices.</summary>
    Choice,

    /// <summary>true or false.</summary>
    Boolean,
}
