namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Direction arithmetic for offer/answer (RFC 3264 §6.1, §8.4).</summary>
public static class SdpDirectionExtensions
{
    /// <summary>True when the side that wrote this direction sends media.</summary>
    public static bool Sends(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    /// <summary>True when the side that wrote this direction receives media.</summary>
    public static bool Receives(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    /// <summary>
    /// The same stream seen from the other side: what one side sends the other receives, so sendonly
    /// becomes recvonly and the reverse; sendrecv and inactive are symmetric (RFC 3264 §6.1).
    /// </summary>
    public static SdpDirection Mirror(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => direction,
    };

    /// <summary>Only the directions both allow: the answerer may narrow what was offered, never widen it.</summary>
    public static SdpDirection Intersect(this SdpDirection direction, SdpDirection other) =>
        FromFlags(direction.Sends() && other.Sends(), direction.Receives() && other.Receives());

    /// <summary>The direction with sending switched off (e.g. the peer gave 0.0.0.0 as its address).</summary>
    public static SdpDirection WithoutSend(this SdpDirection direction) => FromFlags(false, direction.Receives());

    /// <summary>The attribute name as written on an a= line.</summary>
    public static ReadOnlySpan<byte> ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly"u8,
        SdpDirection.RecvOnly => "recvonly"u8,
        SdpDirection.Inactive => "inactive"u8,
        _ => "sendrecv"u8,
    };

    /// <summary>Reads a direction attribute name; false for any other attribute.</summary>
    public static bool TryParse(ReadOnlySpan<byte> attributeName, out SdpDirection direction)
    {
        if (SdpSyntax.NameEquals(attributeName, "sendrecv"u8))
        {
            direction = SdpDirection.SendRecv;
            return true;
        }

        if (SdpSyntax.NameEquals(attributeName, "sendonly"u8))
        {
            direction = SdpDirection.SendOnly;
            return true;
        }

        if (SdpSyntax.NameEquals(attributeName, "recvonly"u8))
        {
            direction = SdpDirection.RecvOnly;
            return true;
        }

        if (SdpSyntax.NameEquals(attributeName, "inactive"u8))
        {
            direction = SdpDirection.Inactive;
            return true;
        }

        direction = SdpDirection.SendRecv;
        return false;
    }

    private static SdpDirection FromFlags(bool sends, bool receives) => (sends, receives) switch
    {
        (true, true) => SdpDirection.SendRecv,
        (true, false) => SdpDirection.SendOnly,
        (false, true) => SdpDirection.RecvOnly,
        _ => SdpDirection.Inactive,
    };
}
