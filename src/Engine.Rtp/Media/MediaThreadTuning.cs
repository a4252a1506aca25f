using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// What a media thread asks of the Linux scheduler for itself: a 1 µs timer slack, so its short sleeps
/// end when asked rather than up to the default 50 µs later (prctl PR_SET_TIMERSLACK), and a higher
/// priority (a lower nice value) so that after a sleep it gets a core promptly on a busy machine
/// (setpriority, which on Linux sets the calling thread's nice value), or, when configured, the SCHED_FIFO real-time class that media
/// servers use so that no ordinary process can delay a slot (the kernel's real-time throttling still
/// keeps 5 % of each core for everything else). All best effort: without the permission (CAP_SYS_NICE)
/// or off Linux, the thread simply runs as it is.
/// </summary>
internal static partial class MediaThreadTuning
{
    private const int PrSetTimerSlack = 29;
    private const int PrioProcess = 0;
    private const int SchedFifo = 1;

    /// <summary>Applies the tuning to the calling thread; returns what took effect, for diagnostics.</summary>
    public static (bool TimerSlack, bool Nice, bool Realtime) ApplyToCurrentThread(int? nice, int? realtimePriority)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, false, false);
        }

        try
        {
            bool slack = Prctl(PrSetTimerSlack, 1, 0, 0, 0) == 0;
            // Linux keeps the nice value per thread: PRIO_PROCESS with who = 0 changes the calling
            // thread only (setpriority(2), BUGS), which is what a media thread wants.
            bool niced = nice is int value && SetPriority(PrioProcess, 0, value) == 0;
            bool realtime = false;
            if (realtimePriority is int priority)
            {
                // pid 0: the calling thread.
                var parameter = new SchedParam { Priority = priority };
                realtime = SchedSetScheduler(0, SchedFifo, in parameter) == 0;
            }

            return (slack, niced, realtime);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return (false, false, false);
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, uint who, int priority);

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, in SchedParam parameter);

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }
}
