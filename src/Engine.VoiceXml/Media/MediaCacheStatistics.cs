namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>Counters of a <see cref="MediaCache"/> (for metrics, and for tests that must not rely on timing).</summary>
/// <param name="Hits">Requests served from the cache without contacting the server.</param>
/// <param name="Revalidations">Requests the server confirmed with 304 Not Modified.</param>
/// <param name="Misses">Requests that downloaded the file.</param>
/// <param name="Evictions">Files dropped to stay within the byte bound.</param>
/// <param name="Items">Files held now.</param>
/// <param name="Bytes">Bytes held now.</param>
public readonly record struct MediaCacheStatistics(long Hits, long Revalidations, long Misses, long Evictions, int Items, long Bytes);
