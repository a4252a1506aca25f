using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>
/// Keeps every log entry the daemon writes, with everything a formatter could print: the message, each
/// structured value, and the exception with its inner exceptions.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public string AllText => string.Join("\n", _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder();
            text.Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                    text.Append(" | ").Append(key).Append('=').Append(value);
            }
            if (exception is not null)
                text.Append(" | ").Append(exception);
            owner._entries.Enqueue(text.ToString());
        }
    }
}
