namespace Dialtone.Daemon.Speech;

/// <summary>Counters of the rendered-speech cache.</summary>
/// <param name="Hits">Requests answered from the cache.</param>
/// <param name="Misses">Requests that rendered.</param>
/// <param name="Joined">Requests that waited on an identical render already under way.</param>
/// <param name="Evictions">Renderings dropped to stay within the byte bound.</param>
/// <param name="Items">Renderings held now.</param>
/// <param name="Bytes">Bytes held now (2 per sample).</param>
public readonly record struct SpeechCacheStatistics(long Hits, long Misses, long Joined, long Evictions, int Items, long Bytes);
