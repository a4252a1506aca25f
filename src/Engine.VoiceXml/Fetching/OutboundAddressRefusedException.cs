using System.Net;

namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>The outbound guard refused to connect: the host resolved to an address the policy forbids.</summary>
public sealed class OutboundAddressRefusedException(string host, IPAddress address, AddressCategory category)
    : Exception($"'{host}' resolves to {address}, a {Describe(category)} address, which outbound requests may not reach")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;

    public AddressCategory Category { get; } = category;

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.Metadata => "cloud metadata",
        AddressCategory.Loopback => "loopback",
        AddressCategory.Private => "private-network",
        AddressCategory.Multicast => "multicast",
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.Reserved => "reserved",
        _ => "public",
    };
}
