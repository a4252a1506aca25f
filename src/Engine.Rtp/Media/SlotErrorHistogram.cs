namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// A preallocated histogram of how late packets left after their slot: 10 µs buckets up to 100 ms and
/// one overflow bucket. Recording is a couple of arithmetic operations and one increment, with no
/// allocation, so it can run for every packet on the media thread. Written by one thread; readers see
/// a slightly stale but consistent-enough picture.
/// </summary>
internal sealed class SlotErrorHistogram
{
    public const int BucketMicroseconds = 10;
    public const int BucketCount = 10_000;

    private readonly long[] _buckets = new long[BucketCount + 1];
    private readonly long _ticksPerBucket;
    private long _maxTicks;
    private long _count;

    public SlotErrorHistogram(long timestampFrequency)
    {
        TimestampFrequency = timestampFrequency;
        _ticksPerBucket = Math.Max(1, timestampFrequency * BucketMicroseconds / 1_000_000);
    }

    public long TimestampFrequency { get; }

    public long Count => Volatile.Read(ref _count);

    public long MaxTicks => Volatile.Read(ref _maxTicks);

    public void Record(long lateTicks)
    {
        if (lateTicks < 0)
        {
            lateTicks = 0;
        }

        long bucket = lateTicks / _ticksPerBucket;
        _buckets[bucket < BucketCount ? bucket : BucketCount]++;
        if (lateTicks > _maxTicks)
        {
            _maxTicks = lateTicks;
        }

        _count++;
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        _maxTicks = 0;
        _count = 0;
    }

    public void AddTo(long[] totals)
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            totals[i] += Volatile.Read(ref _buckets[i]);
        }
    }

    /// <summary>The upper edge of the bucket holding the <paramref name="percentile"/>-th sample.</summary>
    public static TimeSpan Percentile(long[] totals, long count, double percentile)
    {
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = (long)Math.Ceiling(count * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < totals.Length; i++)
        {
            seen += totals[i];
            if (seen >= rank)
            {
                return TimeSpan.FromTicks((i + 1) * BucketMicroseconds * TimeSpan.TicksPerMillisecond / 1000);
            }
        }

        return TimeSpan.FromTicks((totals.Length + 1) * BucketMicroseconds * TimeSpan.TicksPerMillisecond / 1000);
    }
}
