namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>Measures the bytes an action allocates on this thread, after warming it up.</summary>
internal static class Allocations
{
    public static long Measure(Action action, int iterations = 1000)
    {
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
