using System.Collections.Concurrent;

namespace Dialtone.Daemon.Demo;

/// <summary>
/// A status-callback receiver for demo mode: keeps the last callbacks it got, so a newcomer can point
/// <c>statusCallback</c> at the daemon itself and read what a real receiver would have been sent.
/// </summary>
public sealed class DemoWebhookLog
{
    private const int Capacity = 500;
    private readonly ConcurrentQueue<string> _entries = new();

    public void Add(DateTimeOffset at, string method, IEnumerable<KeyValuePair<string, string>> fields)
    {
        string line = $"{at:yyyy-MM-ddTHH:mm:ss.fffZ} {method} " + string.Join(" ", fields.Select(f => $"{f.Key}={f.Value}"));
        _entries.Enqueue(line);
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<string> Entries => _entries.ToArray();
}
