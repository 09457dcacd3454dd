namespace Harbor.Agent.Connection;

/// <summary>
/// The agent cannot get or use its credential; the message says what the operator must do. <c>Waiting</c>:
/// nothing is wrong yet, the enrollment token file has not been written (the controller beside it writes it at start).
/// </summary>
internal sealed class EnrollmentException(string message, Exception? inner = null, bool waiting = false) : Exception(message, inner)
{
    public bool Waiting { get; } = waiting;
}
