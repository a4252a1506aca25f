namespace Dialtone.Engine.Sip.Addressing;

/// <summary>
/// Where one header parameter (RFC 3261 §25.1 generic-param) lies in a span, as read by
/// <see cref="SipParameters.ReadHeaderParameter(ReadOnlySpan{byte}, int)"/>: offsets only. A plain
/// value type so that the typed views keep it in registers while they walk their parameters.
/// </summary>
internal readonly struct SipParameterBounds
{
    public SipParameterBounds(int end, int semicolon, int nameStart, int nameEnd, int valueStart, int valueEnd, bool valueIsToken)
    {
        End = end;
        Semicolon = semicolon;
        NameStart = nameStart;
        NameEnd = nameEnd;
        ValueStart = valueStart;
        ValueEnd = valueEnd;
        ValueIsToken = valueIsToken;
    }

    /// <summary>
    /// The index just past the parameter, or <see cref="SipParameters.NoParameter"/> (no ';' follows)
    /// or <see cref="SipParameters.Malformed"/>.
    /// </summary>
    public int End { get; }

    /// <summary>Index of the ';' that starts the parameter.</summary>
    public int Semicolon { get; }

    /// <summary>Start of the name.</summary>
    public int NameStart { get; }

    /// <summary>End (exclusive) of the name.</summary>
    public int NameEnd { get; }

    /// <summary>Start of the value, or -1 when the parameter has none.</summary>
    public int ValueStart { get; }

    /// <summary>End (exclusive) of the value, or -1 when the parameter has none.</summary>
    public int ValueEnd { get; }

    /// <summary>True when the value is a plain token (not a quoted-string, no ':' '[' ']').</summary>
    public bool ValueIsToken { get; }

    /// <summary>True when the parameter had "=value".</summary>
    public bool HasValue => ValueStart >= 0;

    /// <summary>Length of the name.</summary>
    public int NameLength => NameEnd - NameStart;
}
