namespace Dialtone.Engine.Sip.Addressing;

/// <summary>Walks the parameters of a <see cref="SipParameters"/> span without allocating.</summary>
public ref struct SipParameterEnumerator
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly bool _uriStyle;
    private int _position;
    private SipParameter _current;

    internal SipParameterEnumerator(ReadOnlySpan<byte> span, bool uriStyle)
    {
        _span = span;
        _uriStyle = uriStyle;
        _position = 0;
        _current = default;
    }

    /// <summary>The current parameter.</summary>
    public readonly SipParameter Current => _current;

    /// <summary>Returns this enumerator (for foreach).</summary>
    public readonly SipParameterEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next parameter.</summary>
    public bool MoveNext()
    {
        if (!SipParameters.TryReadNext(_span, ref _position, _uriStyle, out var name, out var value, out bool hasValue))
            return false;
        _current = new SipParameter(name, value, hasValue);
        return true;
    }
}
