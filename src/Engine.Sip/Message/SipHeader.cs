namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// One header line in a parsed <see cref="SipMessage"/>: its id and where its name and value lie
/// in the message bytes. The value is trimmed of surrounding whitespace and may contain folds
/// (CRLF followed by SP/HTAB), which the typed views read as a single SP (RFC 3261 §7.3.1).
/// </summary>
public readonly struct SipHeader
{
    internal SipHeader(SipHeaderId id, int nameOffset, int nameLength, int valueOffset, int valueLength)
    {
        Id = id;
        NameOffset = nameOffset;
        NameLength = nameLength;
        ValueOffset = valueOffset;
        ValueLength = valueLength;
    }

    /// <summary>The known id, or <see cref="SipHeaderId.Other"/>.</summary>
    public SipHeaderId Id { get; }

    /// <summary>Offset of the name in the message bytes.</summary>
    public int NameOffset { get; }

    /// <summary>Length of the name as received (it may be a compact form).</summary>
    public int NameLength { get; }

    /// <summary>Offset of the value in the message bytes.</summary>
    public int ValueOffset { get; }

    /// <summary>Length of the value (possibly 0).</summary>
    public int ValueLength { get; }
}
