using Dialtone.Daemon.Callbacks;

namespace Dialtone.Daemon.Tests.Callbacks;

public sealed class CallbackRetryPolicyTests
{
    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_half_of_it_jittered()
    {
        var low = new CallbackRetryPolicy { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(60), Jitter = () => 0 };
        var high = low with { Jitter = () => 0.999999 };

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 8).Select(a => low.DelayAfter(a).TotalSeconds));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(a => Math.Round(high.DelayAfter(a).TotalSeconds)));
        Assert.Equal(TimeSpan.FromSeconds(30), low.DelayAfter(1000));
    }

    [Fact]
    public void The_policy_runs_out_on_attempts_or_age()
    {
        var policy = new CallbackRetryPolicy { MaxAttempts = 5, MaxAge = TimeSpan.FromHours(1) };
        var created = DateTimeOffset.UnixEpoch;

        Assert.False(policy.IsExhausted(4, created, created.AddMinutes(59)));
        Assert.True(policy.IsExhausted(5, created, created.AddMinutes(1)));
        Assert.True(policy.IsExhausted(1, created, created.AddMinutes(61)));
    }
}
