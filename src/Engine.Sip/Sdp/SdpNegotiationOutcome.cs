namespace Dialtone.Engine.Sip.Sdp;

/// <summary>How an offer/answer exchange ended for our audio stream.</summary>
public enum SdpNegotiationOutcome
{
    /// <summary>An audio stream with a common codec was agreed.</summary>
    Accepted = 0,

    /// <summary>
    /// Answering: the offer has no usable RTP/AVP audio stream with a codec we support. Nothing was
    /// written; a UAS answers 488 Not Acceptable Here (RFC 3261 §13.3.1.1).
    /// </summary>
    NoAcceptableMedia,

    /// <summary>Offering: the answer set our audio stream's port to 0 (RFC 3264 §6).</summary>
    MediaRejected,

    /// <summary>Offering: the answer's audio stream lists none of the formats we offered (RFC 3264 §6.1).</summary>
    NoCommonCodec,

    /// <summary>Offering: the answer does not have one m= line per offered stream (RFC 3264 §6).</summary>
    MediaCountMismatch,
}
