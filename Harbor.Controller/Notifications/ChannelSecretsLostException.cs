namespace Harbor.Controller.Notifications;

/// <summary>A channel's stored secrets cannot be decrypted: the key ring is gone; only entering them again helps.</summary>
internal sealed class ChannelSecretsLostException : Exception
{
    public ChannelSecretsLostException() : base("The channel's secrets cannot be decrypted.")
    {
    }

    public ChannelSecretsLostException(string message) : base(message)
    {
    }

    public ChannelSecretsLostException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
