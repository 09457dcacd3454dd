namespace Harbor.Agent.Connection;

/// <summary>The agent cannot get or use its credential; the message says what the operator must do.</summary>
internal sealed class EnrollmentException(string message, Exception? inner = null) : Exception(message, inner);
