namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>
/// Which addresses customer-supplied URLs (voice apps, actions, media, status callbacks) may reach.
/// Link-local, metadata, multicast, unspecified and reserved addresses are never reachable;
/// loopback and private ranges only when an operator allows them (tests, on-premises apps).
/// </summary>
public sealed record OutboundAddressPolicy
{
    /// <summary>Public addresses only.</summary>
    public static OutboundAddressPolicy Default { get; } = new();

    /// <summary>Allows loopback too (tests and demo mode, where the app server runs on 127.0.0.1).</summary>
    public static OutboundAddressPolicy AllowLoopbackOnly { get; } = new() { AllowLoopback = true };

    public bool AllowLoopback { get; init; }

    public bool AllowPrivate { get; init; }

    /// <summary>True when an address of <paramref name="category"/> may be connected to under this policy.</summary>
    public bool Allows(AddressCategory category) => category switch
    {
        AddressCategory.Public => true,
        AddressCategory.Loopback => AllowLoopback,
        AddressCategory.Private => AllowPrivate,
        _ => false,
    };
}
