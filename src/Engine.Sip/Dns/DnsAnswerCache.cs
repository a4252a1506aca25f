namespace Dialtone.Engine.Sip.Dns;

/// <summary>
/// Answers keyed by (name, record type), each kept for its TTL (RFC 1035 §3.2.1), at most
/// <c>capacity</c> of them: when full, expired answers go first, then those closest to expiry.
/// Thread-safe.
/// </summary>
internal sealed class DnsAnswerCache
{
    private readonly Dictionary<(string Name, ushort Type), Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public DnsAnswerCache(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
    }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    public bool TryGet(string name, ushort type, out DnsAnswer answer)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue((name, type), out var entry))
            {
                if (entry.ExpiresAt > now)
                {
                    answer = entry.Answer;
                    return true;
                }
                _entries.Remove((name, type));
            }
        }
        answer = DnsAnswer.Empty;
        return false;
    }

    public void Add(string name, ushort type, DnsAnswer answer, TimeSpan ttl)
    {
        if (_capacity == 0 || ttl <= TimeSpan.Zero)
            return;

        long now = _time.GetTimestamp();
        long expiresAt = now + (long)(ttl.TotalSeconds * _time.TimestampFrequency);
        lock (_lock)
        {
            if (_entries.Count >= _capacity && !_entries.ContainsKey((name, type)))
                MakeRoom(now);
            _entries[(name, type)] = new Entry(answer, expiresAt);
        }
    }

    private void MakeRoom(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
                _entries.Remove(key);
        }
        if (_entries.Count < _capacity)
            return;

        // Still full of live answers: drop the eighth that expires soonest, so that a burst of new
        // names costs one sort per many insertions rather than one scan per insertion.
        int toRemove = Math.Max(1, _capacity / 8);
        foreach (var key in _entries.OrderBy(pair => pair.Value.ExpiresAt).Take(toRemove).Select(pair => pair.Key).ToList())
            _entries.Remove(key);
    }

    private readonly record struct Entry(DnsAnswer Answer, long ExpiresAt);
}
