using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Calls;

public sealed class CallStateMachineTests
{
    public static TheoryData<CallStatus, CallStatus> LegalMoves => new()
    {
        { CallStatus.Queued, CallStatus.Initiated },
        { CallStatus.Queued, CallStatus.Canceled },
        { CallStatus.Queued, CallStatus.Failed },
        { CallStatus.Initiated, CallStatus.Ringing },
        { CallStatus.Initiated, CallStatus.InProgress },
        { CallStatus.Initiated, CallStatus.Busy },
        { CallStatus.Initiated, CallStatus.NoAnswer },
        { CallStatus.Initiated, CallStatus.Failed },
        { CallStatus.Initiated, CallStatus.Canceled },
        { CallStatus.Ringing, CallStatus.InProgress },
        { CallStatus.Ringing, CallStatus.Busy },
        { CallStatus.Ringing, CallStatus.NoAnswer },
        { CallStatus.Ringing, CallStatus.Failed },
        { CallStatus.Ringing, CallStatus.Canceled },
        { CallStatus.InProgress, CallStatus.Completed },
    };

    [Theory]
    [MemberData(nameof(LegalMoves))]
    public void Forward_moves_are_allowed(CallStatus from, CallStatus to) =>
        Assert.Equal(CallTransitionVerdict.Allowed, CallStateMachine.Judge(from, to));

    [Fact]
    public void Every_other_move_is_refused_and_no_final_state_is_ever_left()
    {
        var legal = LegalMoves.Select(row => ((CallStatus)row[0], (CallStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<CallStatus>())
        {
            foreach (var to in Enum.GetValues<CallStatus>())
            {
                var verdict = CallStateMachine.Judge(from, to);
                if (from == to)
                    Assert.Equal(CallTransitionVerdict.AlreadyThere, verdict);
                else if (legal.Contains((from, to)))
                    Assert.Equal(CallTransitionVerdict.Allowed, verdict);
                else
                    Assert.Equal(CallTransitionVerdict.Refused, verdict);
                if (CallStateMachine.IsFinal(from) && from != to)
                    Assert.Equal(CallTransitionVerdict.Refused, verdict);
            }
        }
    }

    [Theory]
    [InlineData(CallStatus.Ringing, CallStatus.Initiated)]
    [InlineData(CallStatus.InProgress, CallStatus.Ringing)]
    [InlineData(CallStatus.InProgress, CallStatus.Busy)]
    [InlineData(CallStatus.Queued, CallStatus.Completed)]
    [InlineData(CallStatus.Completed, CallStatus.Ringing)]
    [InlineData(CallStatus.Busy, CallStatus.Completed)]
    public void Backward_or_impossible_moves_are_refused(CallStatus from, CallStatus to) =>
        Assert.Equal(CallTransitionVerdict.Refused, CallStateMachine.Judge(from, to));

    [Fact]
    public void Status_names_round_trip_in_Twilio_spelling()
    {
        foreach (var status in Enum.GetValues<CallStatus>())
            Assert.Equal(status, CallStatusText.Parse(CallStatusText.Of(status)));
        Assert.Equal("in-progress", CallStatusText.Of(CallStatus.InProgress));
        Assert.Equal("no-answer", CallStatusText.Of(CallStatus.NoAnswer));
        Assert.False(CallStatusText.TryParse("answered", out _));
    }
}
