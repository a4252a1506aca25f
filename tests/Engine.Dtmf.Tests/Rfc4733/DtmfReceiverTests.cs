using Dialtone.Engine.Dtmf.Rfc4733;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Dtmf.Tests.Rfc4733;

public sealed class DtmfReceiverTests : IDisposable
{
    private const uint Ssrc = 0x5151;
    private readonly FakeTimeProvider _time = new();
    private readonly DtmfReceiver _receiver;
    private readonly List<DtmfDigit> _received = [];
    private readonly List<DtmfDigit> _completed = [];

    public DtmfReceiverTests()
    {
        _receiver = new DtmfReceiver(_time);
        _receiver.DigitReceived += d => _received.Add(d);
        _receiver.DigitCompleted += d => _completed.Add(d);
    }

    public void Dispose() => _receiver.Dispose();

    private void Packet(char digit, uint timestamp, int duration, bool end = false, bool marker = false, uint ssrc = Ssrc)
    {
        DtmfDigits.TryGetEventCode(digit, out byte code);
        var payload = new byte[4];
        new TelephoneEvent(code, end, 10, (ushort)duration).Write(payload);
        _receiver.OnTelephoneEvent(payload, ssrc, timestamp, marker);
    }

    [Fact]
    public void A_digit_is_reported_once_at_its_first_packet_and_completed_once_at_its_end()
    {
        Packet('7', 1000, 160, marker: true);
        Assert.Equal([new DtmfDigit('7', TimeSpan.FromMilliseconds(20), DtmfSource.Rfc4733)], _received);
        Assert.Empty(_completed);

        Packet('7', 1000, 320);
        Packet('7', 1000, 480);
        Packet('7', 1000, 800, end: true);
        Packet('7', 1000, 800, end: true);
        Packet('7', 1000, 800, end: true);

        Assert.Single(_received);
        Assert.Equal([new DtmfDigit('7', TimeSpan.FromMilliseconds(100), DtmfSource.Rfc4733)], _completed);
    }

    [Fact]
    public void The_same_key_pressed_twice_is_two_digits()
    {
        Packet('5', 1000, 800, end: true, marker: true);
        Packet('5', 2600, 800, end: true, marker: true);

        Assert.Equal("55", new string(_received.Select(d => d.Digit).ToArray()));
        Assert.Equal(2, _completed.Count);
    }

    [Fact]
    public void A_digit_whose_first_packets_were_lost_is_still_reported()
    {
        Packet('9', 5000, 640);
        Packet('9', 5000, 800, end: true);

        Assert.Equal('9', Assert.Single(_received).Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(_completed).Duration);
    }

    [Fact]
    public void A_lost_end_is_completed_by_the_timeout_with_the_last_duration()
    {
        Packet('3', 1000, 160, marker: true);
        Packet('3', 1000, 480);

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(_completed);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([new DtmfDigit('3', TimeSpan.FromMilliseconds(60), DtmfSource.Rfc4733)], _completed);
        Assert.Equal(1, _receiver.LostEnds);

        // A stray late end of that event changes nothing.
        Packet('3', 1000, 800, end: true);
        Assert.Single(_completed);
    }

    [Fact]
    public void Updates_keep_the_event_open_past_the_timeout()
    {
        Packet('4', 1000, 160, marker: true);
        for (int i = 2; i <= 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            Packet('4', 1000, i * 160);
        }

        Assert.Empty(_completed);
    }

    [Fact]
    public void A_new_event_completes_one_whose_end_was_lost()
    {
        Packet('1', 1000, 480, marker: true);
        Packet('2', 2600, 160, marker: true);

        Assert.Equal("12", new string(_received.Select(d => d.Digit).ToArray()));
        Assert.Equal([new DtmfDigit('1', TimeSpan.FromMilliseconds(60), DtmfSource.Rfc4733)], _completed);
    }

    [Fact]
    public void A_late_packet_of_an_earlier_event_is_ignored()
    {
        Packet('1', 1000, 800, end: true, marker: true);
        Packet('2', 2600, 160, marker: true);
        Packet('1', 1000, 800, end: true); // reordered behind the next digit

        Assert.Equal("12", new string(_received.Select(d => d.Digit).ToArray()));
        Assert.Equal(1, _receiver.IgnoredPackets);
    }

    [Fact]
    public void The_segments_of_a_long_event_make_one_digit()
    {
        Packet('0', 1000, 65440, marker: true);
        Packet('0', 1000, 0xFFFF);
        Packet('0', 1000 + 0xFFFF, 545);
        Packet('0', 1000 + 0xFFFF, 14465, end: true);

        Assert.Single(_received);
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(_completed).Duration);
    }

    [Fact]
    public void Malformed_payloads_and_non_dtmf_events_are_ignored()
    {
        _receiver.OnTelephoneEvent([1, 2], Ssrc, 1000, true);
        _receiver.OnTelephoneEvent([16, 0x8A, 0, 160], Ssrc, 2000, true); // event 16: hook flash, not a digit

        Assert.Empty(_received);
        Assert.Equal(2, _receiver.IgnoredPackets);
    }

    [Fact]
    public void A_new_source_starts_fresh()
    {
        Packet('1', 1000, 160, marker: true);
        Packet('1', 1000, 160, marker: true, ssrc: 0x7777); // same timestamp, other sender

        Assert.Equal(2, _received.Count);
    }

    [Fact]
    public void Receiving_updates_allocates_nothing()
    {
        using var receiver = new DtmfReceiver(TimeProvider.System);
        var payload = new byte[4];
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 1; i <= 400; i++)
            {
                new TelephoneEvent(1, false, 10, (ushort)(i * 160)).Write(payload);
                receiver.OnTelephoneEvent(payload, Ssrc, (uint)(round * 100_000), i == 1);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }
}
