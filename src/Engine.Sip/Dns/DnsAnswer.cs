using System.Net;

namespace Dialtone.Engine.Sip.Dns;

/// <summary>The records of one answered query, as cached; empty lists for "no such name/record".</summary>
internal sealed class DnsAnswer
{
    public static readonly DnsAnswer Empty = new([], [], []);

    public DnsAnswer(IReadOnlyList<NaptrEntry> naptr, IReadOnlyList<SrvEntry> srv, IReadOnlyList<IPAddress> addresses)
    {
        Naptr = naptr;
        Srv = srv;
        Addresses = addresses;
    }

    public IReadOnlyList<NaptrEntry> Naptr { get; }

    public IReadOnlyList<SrvEntry> Srv { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }
}
