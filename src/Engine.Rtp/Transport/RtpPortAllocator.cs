using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Rtp.Transport;

/// <summary>
/// Hands out RTP/RTCP port pairs from a configured range, binding real UDP sockets: RTP on an even
/// port and RTCP on the odd port above it (RFC 3550 §11). A pair another process holds is skipped and
/// retried later; released pairs go to the back of the queue, so a port is not reused at once and a late
/// packet of an old call does not land in a new one. Thread-safe.
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly Lock _sync = new();
    private readonly Queue<int> _free;
    private int _inUse;

    /// <summary>Creates an allocator over <paramref name="firstPort"/>..<paramref name="lastPort"/> (inclusive).</summary>
    /// <param name="firstPort">Lowest port; rounded up to even.</param>
    /// <param name="lastPort">Highest port; an RTP port needs its RTCP port inside the range too.</param>
    /// <param name="receiveBufferSize">SO_RCVBUF for each socket, or 0 for the system default.</param>
    public RtpPortAllocator(int firstPort, int lastPort, int receiveBufferSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstPort, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lastPort, IPEndPoint.MaxPort);
        int firstEven = (firstPort + 1) & ~1;
        if (lastPort < firstEven + 1)
        {
            throw new ArgumentException($"The RTP port range {firstPort}-{lastPort} holds no even/odd pair.", nameof(lastPort));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(receiveBufferSize);
        FirstPort = firstPort;
        LastPort = lastPort;
        ReceiveBufferSize = receiveBufferSize;
        _free = new Queue<int>((lastPort - firstEven + 1) / 2);
        for (int port = firstEven; port + 1 <= lastPort; port += 2)
        {
            _free.Enqueue(port);
        }

        Capacity = _free.Count;
    }

    /// <summary>First port of the range.</summary>
    public int FirstPort { get; }

    /// <summary>Last port of the range.</summary>
    public int LastPort { get; }

    /// <summary>SO_RCVBUF given to each socket (0: system default).</summary>
    public int ReceiveBufferSize { get; }

    /// <summary>Port pairs in the range.</summary>
    public int Capacity { get; }

    /// <summary>Pairs currently held by callers.</summary>
    public int InUse
    {
        get
        {
            lock (_sync)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Binds the next free pair on <paramref name="address"/>.</summary>
    /// <exception cref="RtpPortsExhaustedException">Every pair is in use or busy.</exception>
    public RtpPortPair Allocate(IPAddress address)
    {
        if (TryAllocate(address, out RtpPortPair? pair))
        {
            return pair;
        }

        throw new RtpPortsExhaustedException(FirstPort, LastPort, InUse);
    }

    /// <summary>Binds the next free pair on <paramref name="address"/>; false when none can be bound.</summary>
    public bool TryAllocate(IPAddress address, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RtpPortPair? pair)
    {
        ArgumentNullException.ThrowIfNull(address);
        pair = null;
        lock (_sync)
        {
            // Try each candidate at most once; a busy one goes to the back so a later call retries it.
            int candidates = _free.Count;
            for (int i = 0; i < candidates; i++)
            {
                int port = _free.Dequeue();
                if (TryBindPair(address, port, out Socket? rtp, out Socket? rtcp))
                {
                    _inUse++;
                    pair = new RtpPortPair(this, address, port, rtp, rtcp);
                    return true;
                }

                _free.Enqueue(port);
            }
        }

        return false;
    }

    internal void Return(int rtpPort)
    {
        lock (_sync)
        {
            _inUse--;
            _free.Enqueue(rtpPort);
        }
    }

    private bool TryBindPair(IPAddress address, int port, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Socket? rtp, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Socket? rtcp)
    {
        rtp = null;
        rtcp = null;
        try
        {
            rtp = Bind(address, port);
            rtcp = Bind(address, port + 1);
            return true;
        }
        catch (SocketException)
        {
            // Busy (EADDRINUSE) or not bindable here: leave this pair for later.
            rtp?.Dispose();
            rtcp?.Dispose();
            rtp = null;
            rtcp = null;
            return false;
        }
    }

    private Socket Bind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (ReceiveBufferSize > 0)
            {
                socket.ReceiveBufferSize = ReceiveBufferSize;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork && OperatingSystem.IsLinux())
            {
                // IP_PMTUDISC_DO: Linux already sets DF on datagrams this small, but only with DF and no
                // fallback to fragmenting may it leave the IPv4 identification at 0 (RFC 6864 §4.1:
                // an atomic datagram's ID has no use), instead of drawing one per packet from a table
                // shared by every CPU. RTP and RTCP packets here are a few hundred octets at most.
                socket.DontFragment = true;
            }

            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
