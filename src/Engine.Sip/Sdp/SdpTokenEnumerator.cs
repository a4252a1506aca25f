namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Walks the space-separated tokens of a field, e.g. the &lt;fmt&gt; list of an m= line.</summary>
public ref struct SdpTokenEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private ReadOnlySpan<byte> _current;

    internal SdpTokenEnumerator(ReadOnlySpan<byte> text)
    {
        _rest = text;
        _current = default;
    }

    /// <summary>The current token.</summary>
    public readonly ReadOnlySpan<byte> Current => _current;

    /// <summary>Moves to the next token.</summary>
    public bool MoveNext()
    {
        _current = SdpSyntax.NextToken(ref _rest);
        return !_current.IsEmpty;
    }

    /// <summary>Lets the enumerator be used in foreach.</summary>
    public readonly SdpTokenEnumerator GetEnumerator() => this;
}
