namespace Dialtone.Engine.Sip.Trunks;

/// <summary>How a trunk with several targets (alternate edges, or a name's SRV records) shares new calls among them.</summary>
public enum SipTrunkDistribution
{
    /// <summary>Every call starts at the first target; the next one is tried only when it times out or answers 503 (RFC 3263 §4.3).</summary>
    Failover,

    /// <summary>
    /// Each new call starts at the next target in turn, so the edges share the load; a target that
    /// timed out or answered 503 is held aside and the others take its calls, as with
    /// <see cref="Failover"/>.
    /// </summary>
    RoundRobin,
}
