namespace Dialtone.Engine.Rtp.Media;

/// <summary>How far packets left from their scheduled slot, over all media threads.</summary>
/// <param name="Packets">Packets measured.</param>
/// <param name="Median">50th percentile of the distance.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest distance seen.</param>
/// <param name="SkippedSlots">Stream slots skipped because a thread fell more than three periods behind.</param>
public readonly record struct SlotTiming(long Packets, TimeSpan Median, TimeSpan P99, TimeSpan Max, long SkippedSlots);
