namespace Dialtone.Engine.Sip.Sdp;

/// <summary>An a= line split into name and value: "a=name" or "a=name:value" (RFC 4566 §5.13).</summary>
public readonly ref struct SdpAttribute
{
    internal SdpAttribute(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool hasValue, int lineNumber)
    {
        Name = name;
        Value = value;
        HasValue = hasValue;
        LineNumber = lineNumber;
    }

    /// <summary>The attribute name, e.g. "rtpmap".</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The text after the first ':'; empty for a property attribute such as "a=sendrecv".</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True when the line had a ':' (a value attribute), even if the value is empty.</summary>
    public bool HasValue { get; }

    /// <summary>The 1-based line number in the body.</summary>
    public int LineNumber { get; }
}
