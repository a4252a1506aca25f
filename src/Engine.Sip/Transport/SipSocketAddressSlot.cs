using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// Owned storage for one peer address that outlives a receive callback, reused across the life of
/// a pooled object: copying an address into it allocates nothing once each family has been seen.
/// </summary>
/// <remarks>
/// <see cref="SocketAddress.Equals(object)"/> compares whole buffers, so an IPv4 address must live in
/// an IPv4-sized <see cref="SocketAddress"/> to be found in the TCP connection table; hence one
/// instance per family rather than one IPv6-sized instance for both.
/// </remarks>
public sealed class SipSocketAddressSlot
{
    private SocketAddress? _v4;
    private SocketAddress? _v6;

    /// <summary>The address last stored, or null.</summary>
    public SocketAddress? Address { get; private set; }

    /// <summary>Copies <paramref name="source"/> in and returns the owned copy.</summary>
    public SocketAddress Store(SocketAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        SocketAddress target = For(source.Family, source.Size);
        source.Buffer.Span.Slice(0, source.Size).CopyTo(target.Buffer.Span);
        Address = target;
        return target;
    }

    /// <summary>Stores <paramref name="source"/> with its port replaced by <paramref name="port"/>.</summary>
    public SocketAddress Store(SocketAddress source, int port)
    {
        SocketAddress target = Store(source);
        SetPort(target, port);
        return target;
    }

    /// <summary>Stores an IPv4 address given as its four bytes, and a port, without allocating once warm.</summary>
    public SocketAddress StoreIPv4(ReadOnlySpan<byte> address, int port)
    {
        if (address.Length != 4)
            throw new ArgumentException("An IPv4 address is four bytes.", nameof(address));
        if (_v4 is null)
        {
            // The family field's layout is the platform's: let the runtime write it once.
            _v4 = new IPEndPoint(IPAddress.Any, 0).Serialize();
        }
        address.CopyTo(_v4.Buffer.Span.Slice(4));
        SetPort(_v4, port);
        Address = _v4;
        return _v4;
    }

    /// <summary>Stores an endpoint (allocates only a transient serialization; for slow paths).</summary>
    public SocketAddress Store(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return Store(endPoint.Serialize());
    }

    /// <summary>Forgets the stored address (the storage is kept for reuse).</summary>
    public void Clear() => Address = null;

    /// <summary>The port of an IPv4 or IPv6 socket address.</summary>
    public static int GetPort(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // sockaddr_in and sockaddr_in6 both carry the port in network order at offset 2.
        ReadOnlySpan<byte> b = address.Buffer.Span;
        return (b[2] << 8) | b[3];
    }

    /// <summary>Overwrites the port of an IPv4 or IPv6 socket address.</summary>
    public static void SetPort(SocketAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Span<byte> b = address.Buffer.Span;
        b[2] = (byte)(port >> 8);
        b[3] = (byte)port;
    }

    /// <summary>
    /// Writes the IP of a socket address as text (dotted quad, or RFC 5952 IPv6 without brackets).
    /// IPv4 allocates nothing; IPv6 goes through <see cref="IPAddress"/>.
    /// </summary>
    public static int FormatAddress(SocketAddress address, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(address);
        ReadOnlySpan<byte> b = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetwork)
        {
            int n = 0;
            for (int i = 4; i < 8; i++)
            {
                if (i > 4)
                    destination[n++] = (byte)'.';
                System.Buffers.Text.Utf8Formatter.TryFormat(b[i], destination.Slice(n), out int written);
                n += written;
            }
            return n;
        }
        var ip = new IPAddress(b.Slice(8, 16), scopeid: 0);
        return ip.TryFormat(destination, out int length) ? length : 0;
    }

    /// <summary>True when <paramref name="text"/> names the same IP as the socket address (IPv4 compared numerically).</summary>
    public static bool HostEquals(SocketAddress address, ReadOnlySpan<byte> text)
    {
        Span<byte> formatted = stackalloc byte[64];
        int n = FormatAddress(address, formatted);
        if (text.Length > 2 && text[0] == (byte)'[' && text[^1] == (byte)']')
            text = text[1..^1];
        return System.Text.Ascii.EqualsIgnoreCase(formatted.Slice(0, n), text);
    }

    private SocketAddress For(AddressFamily family, int size)
    {
        if (family == AddressFamily.InterNetwork && size == 16)
            return _v4 ??= new SocketAddress(AddressFamily.InterNetwork);
        if (family == AddressFamily.InterNetworkV6 && size == 28)
            return _v6 ??= new SocketAddress(AddressFamily.InterNetworkV6);
        return new SocketAddress(family, size);
    }
}
