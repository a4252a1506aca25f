using System.Buffers;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// A growable byte buffer holding one outgoing message: the writer fills it, the transport sends
/// it, and a transaction keeps it for retransmission. Pooled by <see cref="SipTransactionLayer"/>,
/// so in steady state writing and keeping a message allocates nothing.
/// </summary>
public sealed class SipMessageBuffer : IBufferWriter<byte>
{
    /// <summary>The starting capacity: an INVITE with SDP fits.</summary>
    public const int DefaultCapacity = 2048;

    /// <summary>
    /// The capacity of the small buffers that hold what a transaction keeps for a long while: the
    /// final response a non-INVITE server transaction resends for 64*T1, an ACK a client resends.
    /// </summary>
    public const int SmallCapacity = 512;

    /// <summary>Buffers that grew past this are shrunk when they go back to the pool.</summary>
    public const int MaxRetainedCapacity = 16 * 1024;

    private byte[] _array;
    private int _length;

    /// <summary>Creates an empty buffer.</summary>
    public SipMessageBuffer()
        : this(DefaultCapacity)
    {
    }

    /// <summary>Creates an empty buffer of <paramref name="capacity"/> bytes.</summary>
    public SipMessageBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _array = new byte[capacity];
        InitialCapacity = capacity;
    }

    /// <summary>The capacity the buffer was made with (its pool's size class).</summary>
    public int InitialCapacity { get; }

    /// <summary>The room the buffer has now.</summary>
    public int Capacity => _array.Length;

    /// <summary>Bytes written.</summary>
    public int Length => _length;

    /// <summary>The written bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>The written bytes as memory.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    /// <summary>Forgets the content, keeping the storage.</summary>
    public void Clear() => _length = 0;

    /// <summary>Replaces the content with a copy of <paramref name="bytes"/>.</summary>
    public void CopyFrom(ReadOnlySpan<byte> bytes)
    {
        _length = 0;
        bytes.CopyTo(GetSpan(bytes.Length));
        _length = bytes.Length;
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > _array.Length)
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        _length += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(_length);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(_length);
    }

    internal void ResetForPool()
    {
        _length = 0;
        // A buffer that grew goes back to its size class, so the pool keeps its memory bounded.
        if (_array.Length > Math.Max(InitialCapacity, MaxRetainedCapacity) || (InitialCapacity == SmallCapacity && _array.Length > SmallCapacity))
            _array = new byte[InitialCapacity];
    }

    private void Reserve(int sizeHint)
    {
        if (sizeHint < 1)
            sizeHint = 1;
        if (_array.Length - _length >= sizeHint)
            return;
        int wanted = Math.Max(_array.Length * 2, _length + sizeHint);
        Array.Resize(ref _array, wanted);
    }
}
