namespace Dialtone.Engine.Sip.Transport;

/// <summary>Names and properties of <see cref="SipTransportProtocol"/> values.</summary>
public static class SipTransportProtocols
{
    /// <summary>The token used in the Via sent-protocol and the <c>transport=</c> URI parameter.</summary>
    public static ReadOnlySpan<byte> ViaToken(SipTransportProtocol protocol) => protocol switch
    {
        SipTransportProtocol.Tcp => "TCP"u8,
        _ => "UDP"u8,
    };

    /// <summary>True for transports that deliver reliably, so Timers A, E and G are not used (RFC 3261 §17.1.1.2).</summary>
    public static bool IsReliable(SipTransportProtocol protocol) => protocol != SipTransportProtocol.Udp;

    /// <summary>Reads a Via transport token or URI <c>transport=</c> value, case-insensitively.</summary>
    public static bool TryParse(ReadOnlySpan<byte> token, out SipTransportProtocol protocol)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(token, "UDP"u8))
        {
            protocol = SipTransportProtocol.Udp;
            return true;
        }
        if (System.Text.Ascii.EqualsIgnoreCase(token, "TCP"u8))
        {
            protocol = SipTransportProtocol.Tcp;
            return true;
        }
        protocol = default;
        return false;
    }
}
