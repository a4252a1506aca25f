namespace Dialtone.Engine.Rtp.Media;

/// <summary>How a <see cref="MediaEngine"/> takes its streams' RTP packets off their sockets.</summary>
public enum ReceiveMode
{
    /// <summary>
    /// The media thread that paces a stream also receives for it: at every wake-up (each pacing slot,
    /// and at least every <see cref="MediaEngineOptions.ReceivePollInterval"/>) it asks the kernel which
    /// of its sockets have datagrams queued (one epoll_wait, not waited on) and reads them without
    /// blocking. One system call per packet and nothing else, which is what lets a few cores carry
    /// thousands of streams. A packet waits in the kernel for at most one wake-up interval (0.5 ms under
    /// load, <see cref="MediaEngineOptions.ReceivePollInterval"/> when the thread is quiet), and its
    /// arrival time (for RFC 3550 jitter) is that of the wake-up that read it. Linux only: elsewhere the
    /// engine uses <see cref="Async"/>.
    /// </summary>
    Polling,

    /// <summary>
    /// One asynchronous receive pending per RTP socket (.NET's socket engine and the thread pool): each
    /// packet is taken as soon as it arrives, at the cost of a readiness notification and a continuation
    /// per packet, several microseconds each. Suits a handful of streams, or platforms without epoll.
    /// </summary>
    Async,
}
