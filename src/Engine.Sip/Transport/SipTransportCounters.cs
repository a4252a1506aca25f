namespace Dialtone.Engine.Sip.Transport;

/// <summary>What the transports have seen, for metrics. Updated with interlocked adds.</summary>
public sealed class SipTransportCounters
{
    internal long _received;
    internal long _sent;
    internal long _sendFailures;
    internal long _keepAlives;
    internal long _framingErrors;
    internal long _connectionsAccepted;
    internal long _connectionsOpened;
    internal long _connectionsClosed;
    internal long _connectionsRefused;

    /// <summary>Messages handed to the receiver.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages written to a socket.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Sends that failed (unreachable, connection lost, connect timeout).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>CRLF keep-alives (RFC 5626 §3.5.1) received and answered or ignored.</summary>
    public long KeepAlives => Interlocked.Read(ref _keepAlives);

    /// <summary>Streams closed because their bytes could not be framed as SIP.</summary>
    public long FramingErrors => Interlocked.Read(ref _framingErrors);

    /// <summary>TCP connections accepted from peers.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>TCP connections we opened.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    /// <summary>TCP connections closed for any reason.</summary>
    public long ConnectionsClosed => Interlocked.Read(ref _connectionsClosed);

    /// <summary>TCP connections refused because <see cref="SipTransportOptions.MaxTcpConnections"/> was reached.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);
}
