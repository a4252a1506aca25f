namespace Dialtone.Engine.Sip.Addressing;

/// <summary>The URI schemes the engine understands (RFC 3261 §19.1, RFC 3966).</summary>
public enum SipUriScheme : byte
{
    /// <summary>Any other absolute URI (RFC 3261 §25.1 absoluteURI), kept opaque.</summary>
    Other = 0,
    /// <summary>sip:</summary>
    Sip,
    /// <summary>sips:</summary>
    Sips,
    /// <summary>tel: (RFC 3966)</summary>
    Tel,
}
