namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Lookups over a slice of the line index, shared by the session and media views.</summary>
internal static class SdpLineSearch
{
    public static bool TryFindLine(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, byte type, out ReadOnlySpan<byte> value)
    {
        foreach (SdpLine line in lines)
        {
            if (line.Type == type)
            {
                value = body.Slice(line.ValueStart, line.ValueLength);
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool TryFindAttribute(
        ReadOnlySpan<byte> body,
        ReadOnlySpan<SdpLine> lines,
        ReadOnlySpan<byte> name,
        out ReadOnlySpan<byte> value,
        out bool hasValue)
    {
        foreach (SdpLine line in lines)
        {
            if (line.Type != (byte)'a' || line.ValueLength < name.Length)
            {
                continue;
            }

            ReadOnlySpan<byte> text = body.Slice(line.ValueStart, line.ValueLength);
            if (!SdpSyntax.NameEquals(text[..name.Length], name))
            {
                continue;
            }

            if (text.Length == name.Length)
            {
                value = default;
                hasValue = false;
                return true;
            }

            if (text[name.Length] == (byte)':')
            {
                value = text[(name.Length + 1)..];
                hasValue = true;
                return true;
            }
        }

        value = default;
        hasValue = false;
        return false;
    }

    /// <summary>The first sendrecv/sendonly/recvonly/inactive attribute among the lines.</summary>
    public static bool TryFindDirection(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, out SdpDirection direction)
    {
        foreach (SdpLine line in lines)
        {
            // All four direction attributes are eight letters long; the length test skips the rest cheaply.
            if (line.Type == (byte)'a'
                && line.ValueLength == 8
                && SdpDirectionExtensions.TryParse(body.Slice(line.ValueStart, 8), out direction))
            {
                return true;
            }
        }

        direction = SdpDirection.SendRecv;
        return false;
    }

    /// <summary>
    /// The value after "name:&lt;pt&gt; " of the first attribute such as rtpmap or fmtp that is about
    /// <paramref name="payloadType"/>.
    /// </summary>
    public static bool TryFindPayloadAttribute(
        ReadOnlySpan<byte> body,
        ReadOnlySpan<SdpLine> lines,
        ReadOnlySpan<byte> name,
        int payloadType,
        out ReadOnlySpan<byte> value)
    {
        foreach (SdpLine line in lines)
        {
            if (line.Type != (byte)'a' || line.ValueLength <= name.Length)
            {
                continue;
            }

            ReadOnlySpan<byte> text = body.Slice(line.ValueStart, line.ValueLength);
            if (text[name.Length] == (byte)':'
                && SdpSyntax.StartsWithPayloadType(text[(name.Length + 1)..], payloadType)
                && SdpSyntax.NameEquals(text[..name.Length], name))
            {
                value = text[(name.Length + 1)..];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// A millisecond attribute such as ptime. RFC 4566 §6 defines it in milliseconds; peers sometimes
    /// write a fraction ("20.0"), which is read as its whole part.
    /// </summary>
    public static bool TryParseMilliseconds(ReadOnlySpan<byte> value, out int milliseconds)
    {
        value = SdpSyntax.Trim(value);
        int dot = value.IndexOf((byte)'.');
        if (dot >= 0)
        {
            ReadOnlySpan<byte> fraction = value[(dot + 1)..];
            if (!fraction.IsEmpty && !SdpSyntax.TryParseUInt64(fraction, ulong.MaxValue, out _))
            {
                milliseconds = 0;
                return false;
            }

            value = value[..dot];
        }

        return SdpSyntax.TryParseInt32(value, 60_000, out milliseconds);
    }
}
