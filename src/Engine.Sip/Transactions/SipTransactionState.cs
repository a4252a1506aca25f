namespace Dialtone.Engine.Sip.Transactions;

/// <summary>The states of the four transaction machines of RFC 3261 §17 with RFC 6026's Accepted.</summary>
public enum SipTransactionState : byte
{
    /// <summary>Built but not started (a client transaction before its request is sent).</summary>
    Created = 0,

    /// <summary>INVITE client: request sent, no response yet (§17.1.1.2).</summary>
    Calling,

    /// <summary>Non-INVITE client: request sent (§17.1.2.2); non-INVITE server: request received, no response yet (§17.2.2).</summary>
    Trying,

    /// <summary>A provisional response was received (client) or sent (server).</summary>
    Proceeding,

    /// <summary>A final response was received (client) or sent (server); waiting out retransmissions.</summary>
    Completed,

    /// <summary>RFC 6026 §7.1/§7.2: a 2xx to an INVITE was received or sent; further 2xx and ACKs go to the TU.</summary>
    Accepted,

    /// <summary>INVITE server: the ACK for a non-2xx final response arrived (§17.2.1).</summary>
    Confirmed,

    /// <summary>Finished; the transaction is gone from the tables.</summary>
    Terminated,
}
