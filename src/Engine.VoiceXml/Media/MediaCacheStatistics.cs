namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>Counters of a <see cref="MediaCache"/> (for metrics, and for tests that must not rely on timing).</summary>
/// <param name="Hits">Requests served from the cache without contacting the server.</param>
/// <param name="Revalidations">Conditional requests the server confirmed with 304 Not Modified (one per request sent).</param>
/// <param name="Misses">Requests sent that downloaded the file (one per download, however many calls read it).</param>
/// <param name="Joined">
/// Requests that sent nothing themselves but shared the download or revalidation another request
/// had already started for the same URL (their stream reads that one body as it arrives).
/// Every open counts in exactly one of Hits, Revalidations, Misses and Joined, unless its request
/// failed before a body or a 304 came back.
/// </param>
/// <param name="Evictions">Files dropped to stay within the byte bound.</param>
/// <param name="Items">Files held now.</param>
/// <param name="Bytes">Bytes held now.</param>
public readonly record struct MediaCacheStatistics(long Hits, long Revalidations, long Misses, long Joined, long Evictions, int Items, long Bytes);
