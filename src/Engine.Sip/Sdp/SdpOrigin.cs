namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The o= line (RFC 4566 §5.2). The session id and version are kept as text because RFC 4566 only asks
/// for a numeric string; <see cref="TryGetSessionVersion"/> reads the number that RFC 3264 §8 says must
/// grow by one with every changed offer.
/// </summary>
public readonly ref struct SdpOrigin
{
    internal SdpOrigin(
        ReadOnlySpan<byte> username,
        ReadOnlySpan<byte> sessionId,
        ReadOnlySpan<byte> sessionVersion,
        ReadOnlySpan<byte> netType,
        ReadOnlySpan<byte> addressTypeToken,
        ReadOnlySpan<byte> address)
    {
        Username = username;
        SessionId = sessionId;
        SessionVersion = sessionVersion;
        NetType = netType;
        AddressTypeToken = addressTypeToken;
        Address = address;
    }

    /// <summary>The user name, "-" when the host has no user concept.</summary>
    public ReadOnlySpan<byte> Username { get; }

    /// <summary>The session id as written.</summary>
    public ReadOnlySpan<byte> SessionId { get; }

    /// <summary>The session version as written.</summary>
    public ReadOnlySpan<byte> SessionVersion { get; }

    /// <summary>The network type, "IN" for the Internet.</summary>
    public ReadOnlySpan<byte> NetType { get; }

    /// <summary>The address type as written, e.g. "IP4".</summary>
    public ReadOnlySpan<byte> AddressTypeToken { get; }

    /// <summary>The address type.</summary>
    public SdpAddressType AddressType => SdpSyntax.ParseAddressType(AddressTypeToken);

    /// <summary>The unicast address or host name of the originating host.</summary>
    public ReadOnlySpan<byte> Address { get; }

    /// <summary>The session id as a number; false when it is not a 64-bit decimal number.</summary>
    public bool TryGetSessionId(out ulong sessionId) => SdpSyntax.TryParseUInt64(SessionId, ulong.MaxValue, out sessionId);

    /// <summary>The session version as a number; false when it is not a 64-bit decimal number.</summary>
    public bool TryGetSessionVersion(out ulong version) => SdpSyntax.TryParseUInt64(SessionVersion, ulong.MaxValue, out version);
}
