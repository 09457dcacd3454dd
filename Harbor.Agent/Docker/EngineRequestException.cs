using System.Net;

namespace Harbor.Agent.Docker;

/// <summary>
/// The engine answered, and refused: a missing image or container, a name conflict, a failed pull.
/// The message is the engine's own, which names what went wrong.
/// </summary>
internal sealed class EngineRequestException : Exception
{
    public EngineRequestException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public EngineRequestException()
    {
    }

    public EngineRequestException(string message) : base(message)
    {
    }

    public EngineRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public HttpStatusCode StatusCode { get; }
}
