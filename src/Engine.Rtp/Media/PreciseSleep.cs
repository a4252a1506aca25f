using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// Sleeps for less than a millisecond where the platform allows it. <see cref="Thread.Sleep(int)"/>
/// counts whole milliseconds, too coarse for slots 0.5 ms apart; on Linux, clock_nanosleep on the
/// monotonic clock wakes within tens of microseconds of the request, so a media thread can sleep most
/// of the gap between slots instead of spinning through it.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private static bool s_nanosleepUnavailable = !OperatingSystem.IsLinux();

    public static void Sleep(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (!s_nanosleepUnavailable)
        {
            try
            {
                long nanoseconds = duration.Ticks * 100;
                var request = new Timespec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
                _ = ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_nanosleepUnavailable = true;
            }
        }

        int milliseconds = (int)duration.TotalMilliseconds;
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
        else
        {
            Thread.Yield();
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in Timespec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        // time_t and long: pointer-sized on the Linux ABIs .NET runs on.
        public nint Seconds;
        public nint Nanoseconds;
    }
}
