namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>Waits (in real time, bounded) for something another thread does, such as a datagram's arrival.</summary>
/// <remarks>
/// The bound only stops a test that would hang; it is no timing assertion (the wait ends as soon as
/// the condition holds, normally within milliseconds). It is generous because the suite runs its test
/// assemblies side by side on two cores, where another thread can wait seconds for a turn.
/// </remarks>
internal static class Eventually
{
    public static void True(Func<bool> condition, string because, int timeoutMs = 20_000)
    {
        if (!SpinWait.SpinUntil(condition, timeoutMs))
        {
            Assert.Fail($"Timed out after {timeoutMs} ms waiting until {because}.");
        }
    }
}
