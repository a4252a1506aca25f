namespace Dialtone.Daemon.Config;

/// <summary>The SIP listener.</summary>
public sealed class SipOptions
{
    /// <summary>Address the SIP sockets bind (an IP literal).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 5060;

    /// <summary>udp and/or tcp; empty (the default) means both.</summary>
    public List<string> Transports { get; set; } = [];

    /// <summary>The host or IP written into Via/Contact when it differs from the bound one (NAT, 0.0.0.0).</summary>
    public string? AdvertisedAddress { get; set; }
}
