namespace Dialtone.Engine.Sip.Tests.UserAgent;

internal static class TestBedWait
{
    public static void Until(Func<bool> condition, string what, int timeoutMs = 10000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                throw new Xunit.Sdk.XunitException("Timed out waiting for " + what);
            Thread.Sleep(5);
        }
    }
}
