namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// Sees every message a <see cref="SipTransportLayer"/> sends and receives, for SIP traces and
/// tests. Called synchronously on the sending or receiving thread with bytes that are reused
/// afterwards: copy what you keep, and be quick.
/// </summary>
public interface ISipMessageTap
{
    /// <summary>A message handed to a transport (a false <paramref name="accepted"/>: the transport refused it).</summary>
    void OnSent(ReadOnlySpan<byte> message, in SipDestination destination, bool accepted);

    /// <summary>A message received, before any parsing.</summary>
    void OnReceived(ReadOnlySpan<byte> message, in SipRemote remote);
}
