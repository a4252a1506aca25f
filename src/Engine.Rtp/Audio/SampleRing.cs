namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// A bounded single-producer, single-consumer ring of samples: one thread writes, another reads,
/// without locks. Neither side blocks: a full ring takes fewer samples, an empty one yields fewer.
/// </summary>
/// <remarks>
/// Each side owns one counter and only reads the other's: the producer publishes its count after
/// copying (a release write), the consumer reads it before copying (an acquire read), so samples
/// are always visible before they are counted. Counters are 64-bit and never wrap in practice.
/// </remarks>
internal sealed class SampleRing
{
    private readonly short[] _buffer;
    private long _written;
    private long _read;

    /// <summary>A ring over the first <paramref name="capacity"/> samples of <paramref name="buffer"/> (all of it by default; pooled arrays come larger than asked).</summary>
    public SampleRing(short[] buffer, int capacity = -1)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Capacity = capacity < 0 ? buffer.Length : capacity;
        ArgumentOutOfRangeException.ThrowIfZero(Capacity, nameof(capacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Capacity, buffer.Length, nameof(capacity));
        _buffer = buffer;
    }

    public int Capacity { get; }

    /// <summary>Samples written and not yet read (exact for the consumer, a lower bound for the producer).</summary>
    public int Count => (int)(Volatile.Read(ref _written) - Volatile.Read(ref _read));

    /// <summary>Free space (exact for the producer, a lower bound for the consumer).</summary>
    public int Free => Capacity - Count;

    /// <summary>Producer: copies as many samples as fit; returns how many.</summary>
    public int Write(ReadOnlySpan<short> samples)
    {
        long written = _written;
        int free = Capacity - (int)(written - Volatile.Read(ref _read));
        int count = Math.Min(free, samples.Length);
        int start = (int)(written % Capacity);
        int first = Math.Min(count, Capacity - start);
        samples[..first].CopyTo(_buffer.AsSpan(start, first));
        samples[first..count].CopyTo(_buffer);
        Volatile.Write(ref _written, written + count);
        return count;
    }

    /// <summary>Consumer: copies as many samples as are ready; returns how many.</summary>
    public int Read(Span<short> destination)
    {
        long read = _read;
        int available = (int)(Volatile.Read(ref _written) - read);
        int count = Math.Min(available, destination.Length);
        int start = (int)(read % Capacity);
        int first = Math.Min(count, Capacity - start);
        _buffer.AsSpan(start, first).CopyTo(destination);
        _buffer.AsSpan(0, count - first).CopyTo(destination[first..]);
        Volatile.Write(ref _read, read + count);
        return count;
    }
}
