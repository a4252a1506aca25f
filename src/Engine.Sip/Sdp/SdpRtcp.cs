namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;] (RFC 3605 §2.1): where RTCP goes when
/// it is not the RTP port plus one, as NATs and some carriers arrange.
/// </summary>
public readonly ref struct SdpRtcp
{
    internal SdpRtcp(int port, ReadOnlySpan<byte> netType, ReadOnlySpan<byte> addressTypeToken, ReadOnlySpan<byte> address)
    {
        Port = port;
        NetType = netType;
        AddressTypeToken = addressTypeToken;
        Address = address;
    }

    /// <summary>The RTCP port.</summary>
    public int Port { get; }

    /// <summary>True when the attribute names its own address; otherwise the stream's c= applies.</summary>
    public bool HasAddress => !Address.IsEmpty;

    /// <summary>The network type, empty when no address is given.</summary>
    public ReadOnlySpan<byte> NetType { get; }

    /// <summary>The address type as written, empty when no address is given.</summary>
    public ReadOnlySpan<byte> AddressTypeToken { get; }

    /// <summary>The address type (Other when no address is given).</summary>
    public SdpAddressType AddressType => SdpSyntax.ParseAddressType(AddressTypeToken);

    /// <summary>The address, empty when none is given.</summary>
    public ReadOnlySpan<byte> Address { get; }

    internal static bool TryParse(ReadOnlySpan<byte> value, out SdpRtcp rtcp)
    {
        rtcp = default;
        ReadOnlySpan<byte> rest = value;
        ReadOnlySpan<byte> portField = SdpSyntax.NextToken(ref rest);
        if (!SdpSyntax.TryParseInt32(portField, ushort.MaxValue, out int port))
        {
            return false;
        }

        if (SdpSyntax.Trim(rest).IsEmpty)
        {
            rtcp = new SdpRtcp(port, default, default, default);
            return true;
        }

        ReadOnlySpan<byte> netType = SdpSyntax.NextToken(ref rest);
        ReadOnlySpan<byte> addressType = SdpSyntax.NextToken(ref rest);
        ReadOnlySpan<byte> address = SdpSyntax.NextToken(ref rest);
        if (address.IsEmpty || !SdpSyntax.Trim(rest).IsEmpty)
        {
            return false;
        }

        rtcp = new SdpRtcp(port, netType, addressType, address);
        return true;
    }
}
