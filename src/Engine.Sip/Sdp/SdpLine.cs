namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// One entry of the reader's line index: the type letter and where the value lies in the body. The
/// index is what makes typed access cheap: nothing is copied, every view slices the original body.
/// </summary>
public readonly struct SdpLine
{
    internal SdpLine(byte type, int valueStart, int valueLength, int lineNumber)
    {
        Type = type;
        ValueStart = valueStart;
        ValueLength = valueLength;
        LineNumber = lineNumber;
    }

    /// <summary>The type letter, e.g. (byte)'m'.</summary>
    public byte Type { get; }

    /// <summary>Offset of the value (after "x=") in the body.</summary>
    public int ValueStart { get; }

    /// <summary>Length of the value, without the line end.</summary>
    public int ValueLength { get; }

    /// <summary>The 1-based line number in the body, counting empty lines.</summary>
    public int LineNumber { get; }
}
