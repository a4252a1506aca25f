using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// Accumulates the UTF-8 bytes of a digest input (A1, A2, the response's KD input) in a stack
/// buffer, renting a bigger one only for unusually long values. The bytes include the password,
/// so they are zeroed before the memory is let go.
/// </summary>
internal ref struct DigestInputWriter
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;

    public DigestInputWriter(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void Append(ReadOnlySpan<char> text)
    {
        EnsureCapacity(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer[_length..]);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer[_length..]);
        _length += bytes.Length;
    }

    public void AppendColon() => Append(":"u8);

    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_buffer[.._length]);
        _length = 0;
    }

    public void Dispose()
    {
        Clear();
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra <= _buffer.Length)
            return;

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer[.._length].CopyTo(bigger);
        CryptographicOperations.ZeroMemory(_buffer[.._length]);
        if (_rented is not null)
            ArrayPool<byte>.Shared.Return(_rented);
        _rented = bigger;
        _buffer = bigger;
    }
}
