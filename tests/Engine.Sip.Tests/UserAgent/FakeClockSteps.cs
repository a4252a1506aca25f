using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>Moves a fake clock in 10 ms steps, as a wheel's ticker would see real time pass.</summary>
internal static class FakeClockSteps
{
    public static void Advance(FakeTimeProvider clock, TimeSpan span)
    {
        for (var done = TimeSpan.Zero; done < span; done += TimeSpan.FromMilliseconds(10))
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            // Other threads read the fake clock under its lock: give them a chance every step.
            Thread.Sleep(0);
        }
    }
}
