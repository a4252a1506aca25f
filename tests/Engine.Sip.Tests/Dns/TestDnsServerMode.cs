namespace Dialtone.Engine.Sip.Tests.Dns;

/// <summary>How the test DNS server answers.</summary>
internal enum TestDnsServerMode
{
    /// <summary>From the zone: records, NODATA or NXDOMAIN.</summary>
    Answer,

    /// <summary>Never answers.</summary>
    Silent,

    /// <summary>Over UDP, the TC bit and no records (RFC 1035 §4.1.1); over TCP, the full answer.</summary>
    TruncateUdp,

    /// <summary>Random bytes after a correct ID.</summary>
    Garbage,

    /// <summary>A header that claims records that are not there.</summary>
    LyingCounts,

    /// <summary>RCODE 2, SERVFAIL.</summary>
    ServerFailure,
}
