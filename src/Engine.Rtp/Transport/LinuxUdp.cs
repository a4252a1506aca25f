using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Transport;

/// <summary>
/// Datagram send and receive straight through libc on Linux, for the media threads' hot path.
/// <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/> costs about 0.2 µs
/// more per packet than the system call it wraps, and a non-blocking <c>Socket.ReceiveFrom</c> throws
/// when nothing is queued; here a send is one <c>sendto</c> and a receive one <c>recvfrom</c> with
/// MSG_DONTWAIT that reports "nothing queued" as a result, not an exception.
/// </summary>
/// <remarks>
/// A <see cref="SocketAddress"/> holds the platform's native <c>sockaddr</c> bytes, so its buffer is
/// passed to the kernel as is. Each call holds a reference on the socket's handle for its duration, so
/// a socket disposed on another thread at that moment stays open until the call returns, and its file
/// descriptor number cannot be reused by a new socket under the call.
/// </remarks>
internal static unsafe partial class LinuxUdp
{
    /// <summary>Nothing queued (EAGAIN, also EWOULDBLOCK on Linux).</summary>
    public const int ErrorWouldBlock = 11;

    /// <summary>The socket was closed before the call could take a reference on it.</summary>
    public const int ErrorClosed = 9;

    private const int ErrorInterrupted = 4;
    private const int DontWait = 0x40;
    private const int Truncate = 0x20;
    private const int NoSignal = 0x4000;

    /// <summary>True where these calls can be used: Linux (the constants above are Linux's).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Takes the next queued datagram, if any, into <paramref name="buffer"/> and its source into
    /// <paramref name="from"/>, without blocking.
    /// </summary>
    /// <returns>
    /// The datagram's full length, which exceeds <paramref name="buffer"/>'s when it did not fit (the
    /// rest was discarded: MSG_TRUNC); or -1 with <paramref name="error"/> set to the errno, which is
    /// <see cref="ErrorWouldBlock"/> when nothing was queued.
    /// </returns>
    public static int ReceiveFrom(SafeHandle socket, Span<byte> buffer, SocketAddress from, out int error)
    {
        bool referenced = false;
        if (socket.IsClosed)
        {
            // Checked first so that a stream closing under its media thread costs no exception.
            error = ErrorClosed;
            return -1;
        }

        try
        {
            socket.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            error = ErrorClosed;
            return -1;
        }

        try
        {
            int fd = (int)socket.DangerousGetHandle();
            Span<byte> address = from.Buffer.Span;
            uint addressLength = (uint)address.Length;
            nint received;
            fixed (byte* data = buffer)
            fixed (byte* name = address)
            {
                do
                {
                    received = RecvFrom(fd, data, (nuint)buffer.Length, DontWait | Truncate, name, ref addressLength);
                }
                while (received < 0 && Marshal.GetLastPInvokeError() == ErrorInterrupted);
            }

            if (received < 0)
            {
                error = Marshal.GetLastPInvokeError();
                return -1;
            }

            from.Size = (int)Math.Min(addressLength, (uint)address.Length);
            error = 0;
            return (int)received;
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    /// <summary>Sends one datagram to <paramref name="to"/> without blocking.</summary>
    /// <returns>True when the kernel took it; otherwise <paramref name="error"/> is the errno (a full buffer, an unreachable network).</returns>
    public static bool SendTo(SafeHandle socket, ReadOnlySpan<byte> datagram, SocketAddress to, out int error)
    {
        bool referenced = false;
        if (socket.IsClosed)
        {
            error = ErrorClosed;
            return false;
        }

        try
        {
            socket.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            error = ErrorClosed;
            return false;
        }

        try
        {
            int fd = (int)socket.DangerousGetHandle();
            ReadOnlySpan<byte> address = to.Buffer.Span;
            nint sent;
            fixed (byte* data = datagram)
            fixed (byte* name = address)
            {
                do
                {
                    sent = SendToNative(fd, data, (nuint)datagram.Length, DontWait | NoSignal, name, (uint)to.Size);
                }
                while (sent < 0 && Marshal.GetLastPInvokeError() == ErrorInterrupted);
            }

            error = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            return sent >= 0;
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    /// <summary>
    /// Asks which of <paramref name="sockets"/> have input queued, without waiting (poll(2) with a zero
    /// timeout: no wait-queue entry is left behind, unlike an epoll registration).
    /// </summary>
    /// <returns>How many have; -1 on failure.</returns>
    public static int PollReadable(Span<PollDescriptor> sockets)
    {
        int ready;
        fixed (PollDescriptor* descriptors = sockets)
        {
            do
            {
                ready = Poll(descriptors, (nuint)sockets.Length, 0);
            }
            while (ready < 0 && Marshal.GetLastPInvokeError() == ErrorInterrupted);
        }

        return ready;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, ref uint addressLength);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendToNative(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
