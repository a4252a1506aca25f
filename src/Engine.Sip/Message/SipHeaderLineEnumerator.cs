using System.Text;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Walks the header lines of one kind in a <see cref="SipMessage"/>, in order, without allocating.
/// Known headers follow a per-id chain built while parsing; other headers are matched by name.
/// </summary>
public ref struct SipHeaderLineEnumerator
{
    private readonly SipMessage _message;
    private readonly SipHeaderId _id;
    private readonly ReadOnlySpan<byte> _name;
    private int _index;
    private bool _started;

    internal SipHeaderLineEnumerator(SipMessage message, SipHeaderId id, ReadOnlySpan<byte> name)
    {
        _message = message;
        _id = id;
        _name = name;
        _index = -1;
        _started = false;
    }

    /// <summary>The message being walked.</summary>
    public readonly SipMessage Message => _message;

    /// <summary>The current header line.</summary>
    public readonly SipHeader Current => _message.GetHeader(_index);

    /// <summary>The value of the current header line.</summary>
    public readonly ReadOnlySpan<byte> CurrentValue
    {
        get
        {
            ref readonly SipHeader h = ref _message.GetHeader(_index);
            return _message.Span.Slice(h.ValueOffset, h.ValueLength);
        }
    }

    /// <summary>Returns this enumerator (for foreach).</summary>
    public readonly SipHeaderLineEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next matching line.</summary>
    public bool MoveNext()
    {
        if (_message is null || !_message.IsParsed)
            return false;
        if (_id != SipHeaderId.Other)
        {
            _index = _started ? (_index < 0 ? -1 : _message.NextIndex(_index)) : _message.FirstIndex(_id);
            _started = true;
            return _index >= 0;
        }
        if (_name.IsEmpty)
            return false;
        ReadOnlySpan<SipHeader> headers = _message.Headers;
        ReadOnlySpan<byte> span = _message.Span;
        for (int i = _started ? _index + 1 : 0; i < headers.Length; i++)
        {
            ref readonly SipHeader h = ref headers[i];
            if (h.Id == SipHeaderId.Other && Ascii.EqualsIgnoreCase(span.Slice(h.NameOffset, h.NameLength), _name))
            {
                _index = i;
                _started = true;
                return true;
            }
        }
        _started = true;
        _index = headers.Length;
        return false;
    }
}
