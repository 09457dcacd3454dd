using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Harbor.Testing;

/// <summary>What the controller logged, as an operator reading its console would see it.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public string Text => string.Join('\n', lines.Select(l => l.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && category.StartsWith("Harbor", StringComparison.Ordinal))
            {
                owner.lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception)));
                while (owner.lines.Count > 2000 && owner.lines.TryDequeue(out _))
                {
                }
            }
        }
    }
}
