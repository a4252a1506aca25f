namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// Takes every message a transport receives. Called on a transport's receive thread; the bytes
/// and the remote address belong to the transport and are reused as soon as the call returns, so
/// anything kept must be copied.
/// </summary>
public interface ISipTransportReceiver
{
    /// <summary>One framed message (a datagram, or one message cut from a stream).</summary>
    void OnMessageReceived(ReadOnlyMemory<byte> message, in SipRemote remote);

    /// <summary>
    /// A message could not be delivered to <paramref name="remote"/> (connect refused or timed out,
    /// connection lost). RFC 3261 §17.1.4: the transaction that sent it fails at once rather than
    /// waiting for its timeout.
    /// </summary>
    void OnSendFailed(in SipRemote remote);
}
