using System.Text;
using Dialtone.Daemon.Orchestration;
using Dialtone.Engine.Rtp.Recording;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Daemon.Demo;

/// <summary>One call the demo carrier took: answers it, records it, collects its digits, ends it as its number says.</summary>
internal sealed class DemoCarrierCall : ISipCallObserver
{
    private readonly DemoCarrier _carrier;
    private readonly byte[] _answer;
    private readonly DemoBehaviour _behaviour;
    private readonly StringBuilder _digits = new();

    public DemoCarrierCall(DemoCarrier carrier, SipCall sip, CallMedia media, byte[] answer, string dialed, DemoBehaviour behaviour)
    {
        _carrier = carrier;
        Sip = sip;
        Media = media;
        _answer = answer;
        Dialed = dialed;
        _behaviour = behaviour;
        media.DigitPressed += digit =>
        {
            lock (_digits)
                _digits.Append(digit);
        };
    }

    public SipCall Sip { get; }

    public CallMedia Media { get; }

    public string Dialed { get; }

    public CallRecording? Recording { get; set; }

    public string Digits
    {
        get
        {
            lock (_digits)
                return _digits.ToString();
        }
    }

    public void Connect(in NegotiatedMedia media)
    {
        Media.Connect(media.Remote, media.PayloadType, media.TelephoneEventPayloadType, media.PacketTimeMilliseconds);
    }

    public async Task AnswerAfterAsync(TimeSpan ring)
    {
        await Task.Delay(ring, _carrier.Time).ConfigureAwait(false);
        if (Sip.Answer(_answer))
        {
            _carrier.StartRecording(this);
            if (_behaviour.HangUpAfter is { } after)
                _ = HangUpAfterAsync(after);
            else
                _ = HangUpAfterAsync(DemoNumberPlan.MaxCallLength);
        }
    }

    private async Task HangUpAfterAsync(TimeSpan after)
    {
        await Task.Delay(after, _carrier.Time).ConfigureAwait(false);
        Sip.HangUp();
    }

    public void OnDtmf(SipCall call, char digit, int durationMs) => Media.OnInfoDigit(digit, durationMs);

    public void OnFailed(SipCall call, SipCallEnd end) => _carrier.Finished(this, $"not answered ({end})");

    public void OnEnded(SipCall call, SipCallEnd end) => _carrier.Finished(this, end.ByRemote ? "completed, caller hung up" : "completed, callee hung up");
}
