namespace Harbor.Agent.Docker;

/// <summary>The Docker engine cannot be reached or cannot be used; the message says why in a user's words.</summary>
internal sealed class EngineUnavailableException : Exception
{
    public EngineUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public EngineUnavailableException()
    {
    }

    public EngineUnavailableException(string message) : base(message)
    {
    }
}
