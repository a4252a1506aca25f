namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The transaction user that took charge of a server transaction. Called on a receive or timer
/// thread, never under the transaction's lock.
/// </summary>
public interface ISipServerTransactionOwner
{
    /// <summary>
    /// A CANCEL matched this INVITE transaction (RFC 3261 §9.2). The owner answers the CANCEL
    /// (normally 200) and, when the INVITE has no final response yet, answers the INVITE with 487.
    /// </summary>
    void OnCancel(SipServerTransaction invite, SipServerTransaction cancel);

    /// <summary>Timer H fired: the ACK for a non-2xx final response never came (RFC 3261 §17.2.1).</summary>
    void OnTimeout(SipServerTransaction transaction);

    /// <summary>A response could not be delivered (RFC 3261 §17.2.4). The transaction is terminated.</summary>
    void OnTransportError(SipServerTransaction transaction);
}
