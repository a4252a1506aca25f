namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Walks the a= lines of a session or media section in body order.</summary>
public ref struct SdpAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<SdpLine> _lines;
    private int _index;

    internal SdpAttributeEnumerator(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines)
    {
        _body = body;
        _lines = lines;
        _index = -1;
    }

    /// <summary>The current attribute.</summary>
    public readonly SdpAttribute Current
    {
        get
        {
            SdpLine line = _lines[_index];
            ReadOnlySpan<byte> text = _body.Slice(line.ValueStart, line.ValueLength);
            ReadOnlySpan<byte> name = SdpSyntax.SplitAttribute(text, out ReadOnlySpan<byte> value, out bool hasValue);
            return new SdpAttribute(name, value, hasValue, line.LineNumber);
        }
    }

    /// <summary>Moves to the next a= line.</summary>
    public bool MoveNext()
    {
        while (++_index < _lines.Length)
        {
            if (_lines[_index].Type == (byte)'a')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lets the enumerator be used in foreach.</summary>
    public readonly SdpAttributeEnumerator GetEnumerator() => this;
}
