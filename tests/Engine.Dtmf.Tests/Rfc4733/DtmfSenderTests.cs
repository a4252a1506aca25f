using Dialtone.Engine.Dtmf.Rfc4733;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Dtmf.Tests.Rfc4733;

/// <summary>The sender driven slot by slot, as a stream's media thread drives it.</summary>
public sealed class DtmfSenderTests
{
    private const uint Start = 0xFFFF_F000; // close to the wrap, so timestamps wrap during the tests
    private const int Ptime20 = 160;

    private static uint At(int offset) => unchecked(Start + (uint)offset);

    private sealed record Slot(int Index, bool Event, bool Marker, bool End, int Duration, uint Timestamp, byte Code, byte Volume);

    private static List<Slot> Drive(DtmfSender sender, int slots, int samplesPerPacket = Ptime20, uint start = Start)
    {
        var result = new List<Slot>();
        var payload = new byte[16];
        for (int i = 0; i < slots; i++)
        {
            uint slotTimestamp = start + (uint)(i * samplesPerPacket);
            if (sender.TryWritePacket(slotTimestamp, samplesPerPacket, payload, out TelephoneEventPacket packet))
            {
                Assert.Equal(4, packet.PayloadLength);
                TelephoneEvent.TryRead(payload, out TelephoneEvent e);
                result.Add(new Slot(i, true, packet.Marker, e.End, e.Duration, packet.Timestamp, e.EventCode, e.Volume));
            }
            else
            {
                result.Add(new Slot(i, false, false, false, 0, 0, 0, 0));
            }
        }

        return result;
    }

    [Fact]
    public void One_digit_gives_the_packets_of_the_vector_file()
    {
        var sender = new DtmfSender();
        Task sent = sender.SendAsync("1");

        List<Slot> slots = Drive(sender, 10);

        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "vectors", "digit-1-ptime20.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Slot slot = slots[int.Parse(f[0])];
            Assert.Equal(f[1] == "event", slot.Event);
            if (slot.Event)
            {
                Assert.Equal(f[2] == "1", slot.Marker);
                Assert.Equal(f[3] == "1", slot.End);
                Assert.Equal(int.Parse(f[4]), slot.Duration);
                Assert.Equal(At(int.Parse(f[5])), slot.Timestamp);
                Assert.Equal(1, slot.Code);
                Assert.Equal(10, slot.Volume);
            }
        }

        // Done once the gap after the digit has passed (slot 10 = 200 ms after the onset).
        Assert.False(sent.IsCompleted);
        Drive(sender, 1, start: Start + (10 * Ptime20));
        Assert.True(sent.IsCompletedSuccessfully);
        Assert.False(sender.IsSending);
    }

    [Fact]
    public void Four_long_pauses_put_the_first_digit_exactly_four_seconds_in_on_the_rtp_clock()
    {
        var sender = new DtmfSender();
        _ = sender.SendAsync("WWWW101");

        List<Slot> slots = Drive(sender, 260);
        List<Slot> onsets = slots.Where(s => s.Event && s.Marker).ToList();

        // w = 0.5 s and W = 1 s (the seed spec's definition): 4 × 8000 timestamp units before the first digit.
        Assert.Equal(At(32000), onsets[0].Timestamp);
        Assert.Equal(200, onsets[0].Index);
        Assert.All(slots.Take(200), s => Assert.False(s.Event));

        // Each further digit follows a 100 ms tone and a 100 ms gap later: 1600 units apart.
        Assert.Equal(new uint[] { At(32000), At(33600), At(35200) }, onsets.Select(o => o.Timestamp));
        Assert.Equal(new byte[] { 1, 0, 1 }, onsets.Select(o => o.Code));
    }

    [Fact]
    public void Pauses_after_a_digit_add_to_its_gap()
    {
        var sender = new DtmfSender();
        _ = sender.SendAsync("1w2");

        List<Slot> onsets = Drive(sender, 60).Where(s => s.Marker).ToList();

        // 1 at 0; its tone and gap end at 1600; the 0.5 s pause adds 4000.
        Assert.Equal(new uint[] { Start, At(5600) }, onsets.Select(o => o.Timestamp));
    }

    [Fact]
    public void Event_timestamps_stay_at_the_onset_and_durations_grow_by_the_packet_time()
    {
        var sender = new DtmfSender(new DtmfOptions { ToneDuration = TimeSpan.FromMilliseconds(250) });
        _ = sender.SendAsync("#");

        List<Slot> events = Drive(sender, 20).Where(s => s.Event).ToList();

        // 250 ms = 2000 units: updates at 160..1920, then 2000 with E (not a multiple of the packet time).
        Assert.All(events, e => Assert.Equal(Start, e.Timestamp));
        Assert.Equal([160, 320, 480, 640, 800, 960, 1120, 1280, 1440, 1600, 1760, 1920, 2000, 2000, 2000], events.Select(e => e.Duration));
        Assert.Equal(3, events.Count(e => e.End));
        Assert.Single(events, e => e.Marker);
        Assert.All(events, e => Assert.Equal(11, e.Code));
    }

    [Fact]
    public void A_40_ms_packet_time_updates_every_40_ms()
    {
        var sender = new DtmfSender();
        _ = sender.SendAsync("5");

        List<Slot> events = Drive(sender, 6, samplesPerPacket: 320).Where(s => s.Event).ToList();

        Assert.Equal([320, 640, 800, 800, 800], events.Select(e => e.Duration));
        Assert.Equal([false, false, true, true, true], events.Select(e => e.End));
    }

    [Fact]
    public void A_long_event_is_split_into_segments_of_at_most_0xFFFF()
    {
        // 10 s = 80,000 units, more than the 16-bit duration field holds (RFC 4733 §2.5.1.3).
        var sender = new DtmfSender(new DtmfOptions { ToneDuration = TimeSpan.FromSeconds(10) });
        _ = sender.SendAsync("0");

        List<Slot> slots = Drive(sender, 510);

        // First segment: onset timestamp, durations up to 65,440, then the segment's final packet with
        // the maximum 0xFFFF, without E, three times.
        Assert.True(slots[0].Marker);
        Assert.Equal(65440, slots[408].Duration);
        for (int i = 409; i <= 411; i++)
        {
            Assert.Equal(0xFFFF, slots[i].Duration);
            Assert.False(slots[i].End);
            Assert.Equal(Start, slots[i].Timestamp);
        }

        // Second segment: timestamp advanced by 0xFFFF, duration counted from there, no new marker.
        Assert.Equal(At(0xFFFF), slots[412].Timestamp);
        Assert.Equal((413 * 160) - 0xFFFF, slots[412].Duration);
        Assert.False(slots[412].Marker);

        // The end: 80,000 - 65,535 = 14,465 in the second segment, with E, three times.
        for (int i = 499; i <= 501; i++)
        {
            Assert.True(slots[i].End);
            Assert.Equal(14465, slots[i].Duration);
            Assert.Equal(At(0xFFFF), slots[i].Timestamp);
        }

        Assert.False(slots[502].Event);
        Assert.Single(slots, s => s.Marker);
        Assert.All(slots.Where(s => s.Event), s => Assert.True(s.Duration <= 0xFFFF));
        Assert.Equal(0, slots.Take(499).Count(s => s.End));
    }

    [Fact]
    public void Strings_queue_behind_each_other_and_keep_the_gap()
    {
        var sender = new DtmfSender();
        Task first = sender.SendAsync("1");
        Task second = sender.SendAsync("2");

        List<Slot> onsets = Drive(sender, 25).Where(s => s.Marker).ToList();

        Assert.Equal(new uint[] { Start, At(1600) }, onsets.Select(o => o.Timestamp));
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Cancelling_ends_the_digit_in_progress_properly_and_drops_the_rest()
    {
        var sender = new DtmfSender();
        Task sending = sender.SendAsync("123");
        List<Slot> before = Drive(sender, 2);

        sender.Cancel();
        List<Slot> after = Drive(sender, 30, start: Start + (2 * Ptime20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal([160, 320], before.Select(s => s.Duration));
        List<Slot> events = after.Where(s => s.Event).ToList();
        Assert.Equal(3, events.Count); // the end of digit 1, three times, and nothing of 2 or 3
        Assert.All(events, e => Assert.True(e.End));
        Assert.All(events, e => Assert.Equal(480, e.Duration));
        Assert.False(sender.IsSending);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_its_string()
    {
        var sender = new DtmfSender();
        using var cancellation = new CancellationTokenSource();
        Task sending = sender.SendAsync("999", cancellation.Token);

        await cancellation.CancelAsync();
        List<Slot> slots = Drive(sender, 10);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.DoesNotContain(slots, s => s.Event);
    }

    [Fact]
    public async Task A_token_fired_during_a_pause_drops_its_string_and_the_next_string_starts_when_the_pause_ends()
    {
        var sender = new DtmfSender();
        using var cancellation = new CancellationTokenSource();
        Task first = sender.SendAsync("W1", cancellation.Token);
        List<Slot> pausing = Drive(sender, 10);

        await cancellation.CancelAsync();
        Task second = sender.SendAsync("2");
        // The rest of the 1 s pause (50 slots in all), then the second string's digit.
        List<Slot> after = Drive(sender, 60, start: At(10 * Ptime20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.DoesNotContain(pausing, s => s.Event);
        Slot onset = after.First(s => s.Event);
        Assert.Equal(40, onset.Index); // slot 50 of the whole run: 1 s after the pause began
        Assert.Equal(At(50 * Ptime20), onset.Timestamp);
        Assert.DoesNotContain(after, s => s.Event && s.Code == 1);
        Assert.All(after.Where(s => s.Event), s => Assert.Equal(2, s.Code));
        Drive(sender, 20, start: At(70 * Ptime20));
        Assert.True(second.IsCompletedSuccessfully);
        Assert.False(sender.IsSending);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12a!")]
    [InlineData("1-2")]
    public void Invalid_strings_are_refused_before_anything_is_sent(string digits)
    {
        var sender = new DtmfSender();

        Assert.Throws<ArgumentException>(() => { _ = sender.SendAsync(digits); });
        Assert.False(sender.IsSending);
    }

    [Fact]
    public void Options_outside_their_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfSender(new DtmfOptions { ToneDuration = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfSender(new DtmfOptions { Volume = 64 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfSender(new DtmfOptions { Gap = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void Writing_a_dtmf_packet_allocates_nothing()
    {
        var sender = new DtmfSender(new DtmfOptions { ToneDuration = TimeSpan.FromSeconds(60) });
        _ = sender.SendAsync("1");
        var payload = new byte[16];
        long count = 0;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                uint slot = (uint)(((round * 1000) + i) * Ptime20);
                if (sender.TryWritePacket(slot, Ptime20, payload, out _))
                {
                    count++;
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.Equal(2000, count);
    }
}
