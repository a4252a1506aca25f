namespace Dialtone.Daemon.Speech;

/// <summary>
/// Rendered speech keyed by (text, voice, language), bounded by total bytes with least-recently-used
/// eviction. Identical requests made while a render is under way share that one render.
/// </summary>
internal sealed class SpeechCache(long maxBytes)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, short[] Pcm)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, short[] Pcm)> _recency = new();
    private readonly Dictionary<string, Task<short[]>> _rendering = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _joined;
    private long _evictions;

    public SpeechCacheStatistics Statistics
    {
        get
        {
            lock (_lock)
                return new SpeechCacheStatistics(_hits, _misses, _joined, _evictions, _entries.Count, _bytes);
        }
    }

    public static string KeyOf(string text, string? voice, string? language) =>
        string.Concat(voice?.ToLowerInvariant(), "\u0001", language?.ToLowerInvariant(), "\u0001", text);

    /// <summary>The cached rendering, the render under way, or a new render started with <paramref name="render"/>.</summary>
    public Task<short[]> GetOrRender(string key, Func<Task<short[]>> render)
    {
        Task<short[]> task;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _hits++;
                _recency.Remove(node);
                _recency.AddFirst(node);
                return Task.FromResult(node.Value.Pcm);
            }
            if (_rendering.TryGetValue(key, out var pending))
            {
                _joined++;
                return pending;
            }
            _misses++;
            task = render();
            _rendering[key] = task;
        }
        return Complete(key, task);
    }

    private async Task<short[]> Complete(string key, Task<short[]> render)
    {
        try
        {
            var pcm = await render.ConfigureAwait(false);
            Store(key, pcm);
            return pcm;
        }
        finally
        {
            lock (_lock)
                _rendering.Remove(key);
        }
    }

    private void Store(string key, short[] pcm)
    {
        var size = (long)pcm.Length * sizeof(short);
        if (size > maxBytes)
            return;
        lock (_lock)
        {
            if (_entries.ContainsKey(key))
                return;
            _entries[key] = _recency.AddFirst((key, pcm));
            _bytes += size;
            while (_bytes > maxBytes && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= (long)last.Value.Pcm.Length * sizeof(short);
                _evictions++;
            }
        }
    }
}
