using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The transaction user of a <see cref="SipTransactionLayer"/>: receives each new request and each
/// ACK the transaction layer does not absorb. Called on the receive thread.
/// </summary>
public interface ISipRequestHandler
{
    /// <summary>
    /// A request that created <paramref name="transaction"/> (never ACK or CANCEL). Answer through the
    /// transaction, now or later; to answer later, set <see cref="SipServerTransaction.Owner"/> and call
    /// <see cref="SipServerTransaction.Retain"/> before returning, and <see cref="SipServerTransaction.Release"/>
    /// when done. The message is valid only during the call (later, use <see cref="SipServerTransaction.Request"/>).
    /// </summary>
    void OnRequest(SipServerTransaction transaction, SipMessage request);

    /// <summary>
    /// An ACK that no INVITE server transaction absorbed: the ACK for a 2xx (RFC 3261 §13.3.1.4, a
    /// transaction of its own) or an ACK in RFC 6026's Accepted state.
    /// </summary>
    void OnAck(SipMessage ack, in SipRemote remote);
}
