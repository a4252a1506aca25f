namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Walks the media descriptions of a session in order.</summary>
public ref struct SdpMediaEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<SdpLine> _lines;
    private readonly int _firstMediaLine;
    private int _start;
    private int _end;
    private int _index;

    internal SdpMediaEnumerator(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, int firstMediaLine)
    {
        _body = body;
        _lines = lines;
        _firstMediaLine = firstMediaLine;
        _start = -1;
        _end = firstMediaLine;
        _index = -1;
    }

    /// <summary>The current media description.</summary>
    public readonly SdpMedia Current =>
        new(_body, _lines[_start.._end], _lines[.._firstMediaLine], _index);

    /// <summary>Moves to the next media description.</summary>
    public bool MoveNext()
    {
        if (_end >= _lines.Length)
        {
            return false;
        }

        _start = _end;
        _end = SdpSession.NextMediaLine(_lines, _start + 1);
        _index++;
        return true;
    }

    /// <summary>Lets the enumerator be used in foreach.</summary>
    public readonly SdpMediaEnumerator GetEnumerator() => this;
}
