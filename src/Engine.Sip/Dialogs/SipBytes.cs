namespace Dialtone.Engine.Sip.Dialogs;

/// <summary>
/// A byte string held by a pooled object: its storage is kept and reused when the value changes,
/// so a dialog that lives again for another call allocates nothing to remember its Call-ID,
/// tags, parties, target and route set.
/// </summary>
public struct SipBytes
{
    private byte[]? _array;
    private int _length;

    /// <summary>The value.</summary>
    public readonly ReadOnlySpan<byte> Span => _array is null ? default : _array.AsSpan(0, _length);

    /// <summary>The length of the value.</summary>
    public readonly int Length => _length;

    /// <summary>True when the value is empty.</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>Replaces the value.</summary>
    public void Set(ReadOnlySpan<byte> value)
    {
        if (_array is null || _array.Length < value.Length)
            _array = new byte[Math.Max(value.Length, Math.Max(32, (_array?.Length ?? 0) * 2))];
        value.CopyTo(_array);
        _length = value.Length;
    }

    /// <summary>Appends to the value.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        int needed = _length + value.Length;
        if (_array is null || _array.Length < needed)
            Array.Resize(ref _array, Math.Max(needed, Math.Max(32, (_array?.Length ?? 0) * 2)));
        value.CopyTo(_array.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Empties the value, keeping the storage.</summary>
    public void Clear() => _length = 0;

    /// <summary>The value as text (allocates; for logs and the slow paths of the API).</summary>
    public override readonly string ToString() => System.Text.Encoding.UTF8.GetString(Span);
}
