namespace Dialtone.Engine.Sip.Transactions;

/// <summary>Why an incoming message was not processed normally (dropped, or answered with an error).</summary>
public enum SipDropReason
{
    /// <summary>The bytes are not a SIP message; dropped.</summary>
    Unparseable = 0,

    /// <summary>A request <see cref="Message.SipMessageValidator"/> refused; answered with its status (400, 416, 420, 505...).</summary>
    InvalidRequest,

    /// <summary>A response <see cref="Message.SipMessageValidator"/> refused (e.g. more than one Via, RFC 3261 §8.1.3.3); dropped.</summary>
    InvalidResponse,

    /// <summary>A response matching no client transaction (RFC 3261 §18.1.2); dropped.</summary>
    StrayResponse,

    /// <summary>An ACK matching no transaction and no dialog; dropped.</summary>
    StrayAck,

    /// <summary>A request for a dialog or transaction that does not exist; answered 481.</summary>
    NoSuchDialog,

    /// <summary>A known method this endpoint does not handle; answered 405 with Allow.</summary>
    MethodNotAllowed,

    /// <summary>An unknown method; answered 501.</summary>
    NotImplemented,

    /// <summary>A request with a CSeq lower than the dialog's remote CSeq (RFC 3261 §12.2.2); answered 500.</summary>
    OutOfOrder,

    /// <summary>A request whose top Via cannot carry a response (unusable sent-by, over-long branch); dropped.</summary>
    UnroutableRequest,
}
