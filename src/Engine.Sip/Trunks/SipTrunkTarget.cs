using System.Net;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Trunks;

/// <summary>One resolved place of a trunk to send requests to, with its socket address made once.</summary>
public sealed class SipTrunkTarget
{
    private long _failedUntil;

    internal SipTrunkTarget(SipTarget target, SipTransportProtocol protocol)
    {
        Target = target;
        Protocol = protocol;
        Address = target.EndPoint.Serialize();
    }

    /// <summary>What the resolver returned.</summary>
    public SipTarget Target { get; }

    /// <summary>The transport.</summary>
    public SipTransportProtocol Protocol { get; }

    /// <summary>The endpoint as a socket address (shared; never modified).</summary>
    public SocketAddress Address { get; }

    /// <summary>The destination for a request to this target.</summary>
    public SipDestination Destination => new(Protocol, Address);

    internal bool IsFailed(long now) => Interlocked.Read(ref _failedUntil) > now;

    internal void MarkFailed(long until) => Interlocked.Exchange(ref _failedUntil, until);

    internal void MarkSucceeded() => Interlocked.Exchange(ref _failedUntil, 0);

    /// <inheritdoc/>
    public override string ToString() => $"{Protocol.ToString().ToUpperInvariant()} {Target.EndPoint}";
}
