namespace Dialtone.Engine.Dtmf;

/// <summary>How a received digit reached us.</summary>
public enum DtmfSource
{
    /// <summary>RFC 4733 telephone-event packets in the RTP stream.</summary>
    Rfc4733,

    /// <summary>A SIP INFO request with an application/dtmf-relay body, handed over by the SIP layer.</summary>
    SipInfo,

    /// <summary>Tones detected in the received audio.</summary>
    InBand,
}
