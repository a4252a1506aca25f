namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The small lexical rules of RFC 4566 §9 shared by the reader and the typed views: fields are
/// separated by single spaces (we accept runs of SP and HTAB, as a liberal receiver), numbers are
/// plain decimal digits, and nothing here allocates.
/// </summary>
internal static class SdpSyntax
{
    public const byte Space = (byte)' ';
    public const byte Tab = (byte)'\t';

    public static bool IsSpace(byte b) => b == Space || b == Tab;

    /// <summary>Takes the next space-separated token off <paramref name="rest"/>; empty when none is left.</summary>
    public static ReadOnlySpan<byte> NextToken(scoped ref ReadOnlySpan<byte> rest)
    {
        int start = 0;
        while (start < rest.Length && IsSpace(rest[start]))
        {
            start++;
        }

        int end = start;
        while (end < rest.Length && !IsSpace(rest[end]))
        {
            end++;
        }

        ReadOnlySpan<byte> token = rest[start..end];
        rest = rest[end..];
        return token;
    }

    /// <summary>The remainder after leading spaces, with trailing spaces removed.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length && IsSpace(value[start]))
        {
            start++;
        }

        int end = value.Length;
        while (end > start && IsSpace(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>Digits only (no sign, no spaces); fails on overflow of <paramref name="max"/>.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<byte> digits, ulong max, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 20)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                value = 0;
                return false;
            }

            if (value > (max - digit) / 10)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    public static bool TryParseInt32(ReadOnlySpan<byte> digits, int max, out int value)
    {
        bool ok = TryParseUInt64(digits, (ulong)max, out ulong parsed);
        value = ok ? (int)parsed : 0;
        return ok;
    }

    /// <summary>
    /// m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ... (RFC 4566 §5.14).
    /// An empty format list is tolerated: RFC 4566 requires at least one, but a receiver loses nothing by
    /// reading the line anyway, and the offer/answer layer treats such a stream as unusable.
    /// </summary>
    public static bool TryParseMediaLine(
        ReadOnlySpan<byte> value,
        out ReadOnlySpan<byte> mediaType,
        out int port,
        out int portCount,
        out ReadOnlySpan<byte> protocol,
        out ReadOnlySpan<byte> formats)
    {
        ReadOnlySpan<byte> rest = value;
        mediaType = NextToken(ref rest);
        ReadOnlySpan<byte> portField = NextToken(ref rest);
        protocol = NextToken(ref rest);
        formats = Trim(rest);
        port = -1;
        portCount = 1;
        if (mediaType.IsEmpty || portField.IsEmpty || protocol.IsEmpty)
        {
            return false;
        }

        int slash = portField.IndexOf((byte)'/');
        ReadOnlySpan<byte> portDigits = slash < 0 ? portField : portField[..slash];
        if (!TryParseInt32(portDigits, ushort.MaxValue, out port))
        {
            port = -1;
            return false;
        }

        if (slash >= 0 && (!TryParseInt32(portField[(slash + 1)..], ushort.MaxValue, out portCount) || portCount == 0))
        {
            portCount = 1;
            return false;
        }

        return true;
    }

    /// <summary>
    /// c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt; (RFC 4566 §5.7), where the address may carry
    /// "/ttl[/count]" for IP4 multicast or "/count" for IP6 multicast.
    /// </summary>
    public static bool TryParseConnection(
        ReadOnlySpan<byte> value,
        out ReadOnlySpan<byte> netType,
        out ReadOnlySpan<byte> addressTypeToken,
        out ReadOnlySpan<byte> address,
        out int ttl,
        out int addressCount)
    {
        ReadOnlySpan<byte> rest = value;
        netType = NextToken(ref rest);
        addressTypeToken = NextToken(ref rest);
        ReadOnlySpan<byte> full = NextToken(ref rest);
        address = full;
        ttl = -1;
        addressCount = 1;
        if (netType.IsEmpty || addressTypeToken.IsEmpty || full.IsEmpty || !Trim(rest).IsEmpty)
        {
            return false;
        }

        int slash = full.IndexOf((byte)'/');
        if (slash < 0)
        {
            return true;
        }

        address = full[..slash];
        ReadOnlySpan<byte> suffix = full[(slash + 1)..];
        int second = suffix.IndexOf((byte)'/');
        ReadOnlySpan<byte> first = second < 0 ? suffix : suffix[..second];
        bool isIp6 = ParseAddressType(addressTypeToken) == SdpAddressType.IP6;
        if (address.IsEmpty || !TryParseInt32(first, isIp6 ? int.MaxValue : 255, out int firstNumber))
        {
            return false;
        }

        if (isIp6)
        {
            // IP6 multicast has no TTL: the only suffix is the number of addresses (RFC 4566 §5.7).
            addressCount = firstNumber;
            return second < 0 && addressCount > 0;
        }

        ttl = firstNumber;
        if (second >= 0 && (!TryParseInt32(suffix[(second + 1)..], int.MaxValue, out addressCount) || addressCount == 0))
        {
            addressCount = 1;
            return false;
        }

        return true;
    }

    /// <summary>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt; (RFC 4566 §5.2).</summary>
    public static bool TryParseOrigin(
        ReadOnlySpan<byte> value,
        out ReadOnlySpan<byte> username,
        out ReadOnlySpan<byte> sessionId,
        out ReadOnlySpan<byte> sessionVersion,
        out ReadOnlySpan<byte> netType,
        out ReadOnlySpan<byte> addressTypeToken,
        out ReadOnlySpan<byte> address)
    {
        ReadOnlySpan<byte> rest = value;
        username = NextToken(ref rest);
        sessionId = NextToken(ref rest);
        sessionVersion = NextToken(ref rest);
        netType = NextToken(ref rest);
        addressTypeToken = NextToken(ref rest);
        address = NextToken(ref rest);
        return !address.IsEmpty && Trim(rest).IsEmpty;
    }

    public static SdpAddressType ParseAddressType(ReadOnlySpan<byte> token)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(token, "IP4"u8))
        {
            return SdpAddressType.IP4;
        }

        return System.Text.Ascii.EqualsIgnoreCase(token, "IP6"u8) ? SdpAddressType.IP6 : SdpAddressType.Other;
    }

    /// <summary>Splits an a= value into its name and value at the first ':' (RFC 4566 §5.13).</summary>
    public static ReadOnlySpan<byte> SplitAttribute(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        int colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            value = default;
            hasValue = false;
            return line;
        }

        value = line[(colon + 1)..];
        hasValue = true;
        return line[..colon];
    }

    /// <summary>
    /// Attribute names are matched without regard to ASCII case: RFC 4566 leaves the case of att-field
    /// unspecified and peers are seen sending "a=SendRecv"; being liberal costs nothing here.
    /// </summary>
    public static bool NameEquals(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected)
    {
        // Names are a few letters long: a plain loop beats the general vectorised comparison here.
        if (name.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            uint a = name[i];
            uint b = expected[i];
            if (a != b && ((a | 0x20) != (b | 0x20) || (a | 0x20) - 'a' > 'z' - 'a'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="value"/> begins with the payload type number <paramref name="payloadType"/>
    /// followed by a space or its end, as in the value of "rtpmap:0 PCMU/8000".
    /// </summary>
    public static bool StartsWithPayloadType(ReadOnlySpan<byte> value, int payloadType)
    {
        int i = 0;
        int number = 0;
        while (i < value.Length && i < 3 && (uint)(value[i] - '0') <= 9)
        {
            number = (number * 10) + (value[i] - '0');
            i++;
        }

        return i > 0 && number == payloadType && (i == value.Length || IsSpace(value[i]));
    }

    /// <summary>
    /// For attributes whose value begins with a payload type ("rtpmap:96 ...", "fmtp:101 ..."): the type
    /// and the rest after the separating space.
    /// </summary>
    public static bool TryParsePayloadTypePrefix(ReadOnlySpan<byte> value, out int payloadType, out ReadOnlySpan<byte> rest)
    {
        rest = value;
        ReadOnlySpan<byte> token = NextToken(ref rest);
        rest = Trim(rest);
        return TryParseInt32(token, 127, out payloadType);
    }
}
