namespace Dialtone.Engine.Sip.Sdp;

/// <summary>One line of a session description as a view over the body: its type letter and value.</summary>
public readonly ref struct SdpLineView
{
    /// <summary>Creates a view; <paramref name="value"/> is the text after "x=", without the line end.</summary>
    public SdpLineView(byte type, ReadOnlySpan<byte> value, int lineNumber)
    {
        Type = type;
        Value = value;
        LineNumber = lineNumber;
    }

    /// <summary>The type letter as a byte, e.g. (byte)'a'.</summary>
    public byte Type { get; }

    /// <summary>The type letter as a char, for readable comparisons.</summary>
    public char TypeChar => (char)Type;

    /// <summary>The value after "x=", without the line end.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The 1-based line number in the body (0 for lines built by hand).</summary>
    public int LineNumber { get; }
}
