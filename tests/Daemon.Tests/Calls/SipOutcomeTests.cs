using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Calls;

public sealed class SipOutcomeTests
{
    [Theory]
    [InlineData(486, CallStatus.Busy)]
    [InlineData(600, CallStatus.Busy)]
    [InlineData(603, CallStatus.Busy)]
    [InlineData(408, CallStatus.NoAnswer)]
    [InlineData(480, CallStatus.NoAnswer)]
    [InlineData(404, CallStatus.Failed)]
    [InlineData(403, CallStatus.Failed)]
    [InlineData(488, CallStatus.Failed)]
    [InlineData(500, CallStatus.Failed)]
    [InlineData(503, CallStatus.Failed)]
    [InlineData(604, CallStatus.Failed)]
    [InlineData(300, CallStatus.Failed)]
    public void Final_responses_map_to_final_states(int code, CallStatus expected) =>
        Assert.Equal(expected, SipOutcome.FinalStatusOf(code));

    [Theory]
    [InlineData(CallEndCause.RingTimeout, CallStatus.NoAnswer)]
    [InlineData(CallEndCause.None, CallStatus.NoAnswer)]
    [InlineData(CallEndCause.ApiCancel, CallStatus.Canceled)]
    public void A_487_means_what_our_CANCEL_was_for(CallEndCause cause, CallStatus expected) =>
        Assert.Equal(expected, SipOutcome.FinalStatusOf(487, cause));

    [Fact]
    public void A_2xx_is_an_answer_not_an_end() => Assert.Null(SipOutcome.FinalStatusOf(200));

    [Theory]
    [InlineData(100)]
    [InlineData(180)]
    [InlineData(0)]
    [InlineData(700)]
    public void Provisional_or_impossible_codes_are_refused(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SipOutcome.FinalStatusOf(code));
}
