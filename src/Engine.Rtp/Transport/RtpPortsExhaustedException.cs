namespace Dialtone.Engine.Rtp.Transport;

/// <summary>Thrown when no RTP/RTCP port pair in the configured range can be bound.</summary>
public sealed class RtpPortsExhaustedException : Exception
{
    /// <summary>Creates the exception for the range <paramref name="firstPort"/>..<paramref name="lastPort"/>.</summary>
    public RtpPortsExhaustedException(int firstPort, int lastPort, int pairsInUse)
        : base($"No free RTP/RTCP port pair in {firstPort}-{lastPort}: {pairsInUse} pairs are in use by this process and every other pair is busy.")
    {
        FirstPort = firstPort;
        LastPort = lastPort;
        PairsInUse = pairsInUse;
    }

    /// <summary>First port of the range.</summary>
    public int FirstPort { get; }

    /// <summary>Last port of the range.</summary>
    public int LastPort { get; }

    /// <summary>Pairs held by this allocator when it gave up.</summary>
    public int PairsInUse { get; }
}
