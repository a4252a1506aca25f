using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The transaction user of a client transaction: told about each response the transaction passes
/// up and about how it failed. Called on a receive or timer thread, never under the transaction's
/// lock, so the owner may call back into the transaction.
/// </summary>
public interface ISipClientTransactionOwner
{
    /// <summary>
    /// A response for the transaction: provisional, the final one, and (INVITE, RFC 6026 §8.4) every
    /// 2xx in the Accepted state, retransmissions and forks included. The message is valid only during the call.
    /// </summary>
    void OnResponse(SipClientTransaction transaction, SipMessage response);

    /// <summary>Timer B or F fired: no final response (RFC 3261 §17.1.1.2, §17.1.2.2). The transaction is terminated.</summary>
    void OnTimeout(SipClientTransaction transaction);

    /// <summary>The transport could not deliver the request (RFC 3261 §17.1.4). The transaction is terminated.</summary>
    void OnTransportError(SipClientTransaction transaction);
}
