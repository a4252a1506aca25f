namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Walks the RTP payload type numbers of an m= line in the order given, which is the sender's order of
/// preference (RFC 4566 §5.14). Tokens that are not a number from 0 to 127 (RFC 3550 §5.1 gives the
/// field 7 bits) are skipped: they cannot name an RTP payload type.
/// </summary>
public ref struct SdpPayloadTypeEnumerator
{
    private SdpTokenEnumerator _tokens;
    private int _current;

    internal SdpPayloadTypeEnumerator(ReadOnlySpan<byte> formats)
    {
        _tokens = new SdpTokenEnumerator(formats);
        _current = -1;
    }

    /// <summary>The current payload type.</summary>
    public readonly int Current => _current;

    /// <summary>Moves to the next payload type.</summary>
    public bool MoveNext()
    {
        while (_tokens.MoveNext())
        {
            if (SdpSyntax.TryParseInt32(_tokens.Current, 127, out int payloadType))
            {
                _current = payloadType;
                return true;
            }
        }

        return false;
    }

    /// <summary>Lets the enumerator be used in foreach.</summary>
    public readonly SdpPayloadTypeEnumerator GetEnumerator() => this;
}
