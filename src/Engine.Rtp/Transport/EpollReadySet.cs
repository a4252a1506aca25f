using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Transport;

/// <summary>
/// A Linux epoll instance used as a readiness set that is polled, never waited on: a media thread
/// registers its streams' sockets once, and at each wake-up one <c>epoll_wait</c> with a zero timeout
/// names the sockets that have datagrams queued. Level-triggered, so a socket left with datagrams
/// (the reader takes one per wake-up) is named again at the next poll, and nothing is lost between
/// polls. Each registration carries a caller-chosen 64-bit token; the file descriptor itself is never
/// taken from an event, since by then the socket may have been closed and its number reused.
/// </summary>
/// <remarks>
/// Not thread-safe: one media thread owns the set. A socket closed without <see cref="Remove"/> leaves
/// the set by itself (the kernel drops an epoll registration when its file is released, epoll(7)).
/// </remarks>
internal sealed unsafe partial class EpollReadySet : IDisposable
{
    private const int EpollCloseOnExec = 0x80000;
    private const int ControlAdd = 1;
    private const int ControlDelete = 2;
    private const uint EpollIn = 0x001;
    private const int ErrorInterrupted = 4;

    // struct epoll_event is packed on x86 and x86-64 (12 bytes: events, then data at offset 4) and
    // naturally aligned elsewhere (16 bytes: data at offset 8); see <sys/epoll.h>.
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 4 : 8;
    private static readonly int s_eventSize = s_dataOffset + 8;

    private readonly int _epollFd;
    private readonly byte* _events;
    private readonly int _capacity;
    private bool _disposed;

    private EpollReadySet(int epollFd, int capacity)
    {
        _epollFd = epollFd;
        _capacity = capacity;
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * s_eventSize));
    }

    ~EpollReadySet() => Release();

    /// <summary>Ready sockets one <see cref="Poll"/> can report.</summary>
    public int Capacity => _capacity;

    /// <summary>Creates a set that reports up to <paramref name="capacity"/> ready sockets per poll; null where epoll is unavailable.</summary>
    public static EpollReadySet? TryCreate(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            int fd = EpollCreate1(EpollCloseOnExec);
            return fd < 0 ? null : new EpollReadySet(fd, capacity);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Registers <paramref name="socket"/> for input readiness, reported with <paramref name="token"/>.</summary>
    /// <returns>False when the socket is already closed or the kernel refused (the errno in <paramref name="error"/>).</returns>
    public bool Add(SafeHandle socket, ulong token, out int error) => Control(ControlAdd, socket, token, out error);

    /// <summary>Unregisters <paramref name="socket"/>; a socket already closed has left the set by itself.</summary>
    public void Remove(SafeHandle socket) => Control(ControlDelete, socket, 0, out _);

    /// <summary>
    /// Writes the tokens of up to <see cref="Capacity"/> sockets that have input queued (or a pending
    /// error, which the next receive reports and clears) into <paramref name="tokens"/>, without waiting.
    /// </summary>
    /// <returns>How many were written; 0 when none is ready.</returns>
    public int Poll(Span<ulong> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int wanted = Math.Min(tokens.Length, _capacity);
        int ready;
        do
        {
            ready = EpollWait(_epollFd, _events, wanted, 0);
        }
        while (ready < 0 && Marshal.GetLastPInvokeError() == ErrorInterrupted);

        for (int i = 0; i < ready; i++)
        {
            tokens[i] = *(ulong*)(_events + (i * s_eventSize) + s_dataOffset);
        }

        return Math.Max(ready, 0);
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private bool Control(int operation, SafeHandle socket, ulong token, out int error)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (socket.IsClosed)
        {
            error = LinuxUdp.ErrorClosed;
            return false;
        }

        // Holding a reference keeps the descriptor number ours for the call: a socket closed on
        // another thread meanwhile stays open until the release.
        bool referenced = false;
        try
        {
            socket.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            error = LinuxUdp.ErrorClosed;
            return false;
        }

        try
        {
            byte* ev = stackalloc byte[16];
            *(uint*)ev = EpollIn;
            *(ulong*)(ev + s_dataOffset) = token;
            int result = EpollCtl(_epollFd, operation, (int)socket.DangerousGetHandle(), ev);
            error = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result == 0;
        }
        finally
        {
            socket.DangerousRelease();
        }
    }

    private void Release()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = Close(_epollFd);
        NativeMemory.Free(_events);
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epollFd, int operation, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
