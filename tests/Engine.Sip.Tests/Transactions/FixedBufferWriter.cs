using System.Buffers;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>An <see cref="IBufferWriter{T}"/> over a fixed array, for allocation tests.</summary>
internal sealed class FixedBufferWriter(byte[] array) : IBufferWriter<byte>
{
    public byte[] Array => array;

    public int Written { get; private set; }

    public void Reset() => Written = 0;

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => array.AsMemory(Written);

    public Span<byte> GetSpan(int sizeHint = 0) => array.AsSpan(Written);
}
