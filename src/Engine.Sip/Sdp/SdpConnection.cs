using System.Net;
using System.Text;

namespace Dialtone.Engine.Sip.Sdp;

/// <summary>A c= line (RFC 4566 §5.7): where the media of a session or stream is to be sent.</summary>
public readonly ref struct SdpConnection
{
    internal SdpConnection(
        ReadOnlySpan<byte> netType,
        ReadOnlySpan<byte> addressTypeToken,
        ReadOnlySpan<byte> address,
        int ttl,
        int addressCount)
    {
        NetType = netType;
        AddressTypeToken = addressTypeToken;
        Address = address;
        Ttl = ttl;
        AddressCount = addressCount;
    }

    /// <summary>The network type, "IN" for the Internet.</summary>
    public ReadOnlySpan<byte> NetType { get; }

    /// <summary>The address type as written, e.g. "IP6".</summary>
    public ReadOnlySpan<byte> AddressTypeToken { get; }

    /// <summary>The address type.</summary>
    public SdpAddressType AddressType => SdpSyntax.ParseAddressType(AddressTypeToken);

    /// <summary>The address or host name, without any "/ttl" or "/count" suffix.</summary>
    public ReadOnlySpan<byte> Address { get; }

    /// <summary>The multicast TTL of an IP4 address, or -1 when none is given.</summary>
    public int Ttl { get; }

    /// <summary>How many consecutive multicast addresses the line describes; 1 when none is given.</summary>
    public int AddressCount { get; }

    /// <summary>
    /// True for 0.0.0.0 (or ::): the RFC 2543 way to put a call on hold, which RFC 3264 §8.4 says an
    /// answerer must still understand. Media must not be sent to such an address.
    /// </summary>
    public bool IsUnspecified => Address.SequenceEqual("0.0.0.0"u8) || Address.SequenceEqual("::"u8);

    /// <summary>
    /// The address as an <see cref="IPAddress"/>; false for host names. Allocates the IPAddress, so it is
    /// meant for call setup, not for per-packet work.
    /// </summary>
    public bool TryParseAddress(out IPAddress? address)
    {
        address = null;
        if (Address.Length > 64)
        {
            return false;
        }

        Span<char> text = stackalloc char[Address.Length];
        int chars = Encoding.ASCII.GetChars(Address, text);
        return IPAddress.TryParse(text[..chars], out address);
    }
}
