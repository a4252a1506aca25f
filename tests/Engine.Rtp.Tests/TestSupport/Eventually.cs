namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>Waits (in real time, bounded) for something another thread does, such as a datagram's arrival.</summary>
internal static class Eventually
{
    public static void True(Func<bool> condition, string because, int timeoutMs = 5000)
    {
        if (!SpinWait.SpinUntil(condition, timeoutMs))
        {
            Assert.Fail($"Timed out after {timeoutMs} ms waiting until {because}.");
        }
    }
}
