using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Transport;

/// <summary>struct pollfd of poll(2): a descriptor, the events asked about, the events that occurred.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    /// <summary>POLLIN: there is data to read.</summary>
    public const short Readable = 0x001;

    /// <summary>POLLERR: an error is pending (reported whether asked for or not); reading the socket reports and clears it.</summary>
    public const short Error = 0x008;

    public int Descriptor;
    public short Events;
    public short ReturnedEvents;
}
