namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Walks lines of the index in body order, unknown types included: the reader never drops a line, so
/// a proxy-like caller can copy what it does not understand (see <see cref="SdpWriter.CopyLine"/>).
/// </summary>
public ref struct SdpLineEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<SdpLine> _lines;
    private int _index;

    internal SdpLineEnumerator(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines)
    {
        _body = body;
        _lines = lines;
        _index = -1;
    }

    /// <summary>How many lines this enumerator walks in all.</summary>
    public readonly int Count => _lines.Length;

    /// <summary>The current line.</summary>
    public readonly SdpLineView Current
    {
        get
        {
            SdpLine line = _lines[_index];
            return new SdpLineView(line.Type, _body.Slice(line.ValueStart, line.ValueLength), line.LineNumber);
        }
    }

    /// <summary>Moves to the next line.</summary>
    public bool MoveNext() => ++_index < _lines.Length;

    /// <summary>Lets the enumerator be used in foreach.</summary>
    public readonly SdpLineEnumerator GetEnumerator() => this;
}
