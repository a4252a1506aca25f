namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>Measures the bytes an action allocates on this thread, after warming it up.</summary>
internal static class Allocations
{
    /// <summary>
    /// The least of up to five rounds of <paramref name="iterations"/> runs: a round can catch a
    /// one-off allocation of the runtime itself (a method recompiled at a higher tier on this thread),
    /// while an allocation of the code under test shows in every round.
    /// </summary>
    public static long Measure(Action action, int iterations = 1000)
    {
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        long least = long.MaxValue;
        for (int round = 0; round < 5 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
