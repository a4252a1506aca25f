namespace Dialtone.Daemon.Config;

/// <summary>The RTP port range and addresses.</summary>
public sealed class RtpOptions
{
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>First port of the range (even: RTP uses even ports, RTCP the odd one above, RFC 3550 §11).</summary>
    public int PortMin { get; set; } = 10000;

    public int PortMax { get; set; } = 20000;

    /// <summary>The IP written into SDP when it differs from the bound one.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// An answered leg whose far end should be sending (not on hold) and from which no RTP or RTCP
    /// arrived for this long is hung up as a media timeout; 0 turns the check off.
    /// </summary>
    public double InactivityTimeoutSeconds { get; set; } = 60;
}
