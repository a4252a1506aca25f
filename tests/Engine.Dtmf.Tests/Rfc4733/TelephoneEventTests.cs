using Dialtone.Engine.Dtmf.Rfc4733;

namespace Dialtone.Engine.Dtmf.Tests.Rfc4733;

public sealed class TelephoneEventTests
{
    [Fact]
    public void Writes_the_four_octet_block_of_rfc_4733_section_2_3()
    {
        var buffer = new byte[4];

        new TelephoneEvent(EventCode: 11, End: true, Volume: 10, Duration: 800).Write(buffer);

        // Event 11 (#); E set, R clear, volume 10; duration 800 (0x0320).
        Assert.Equal(new byte[] { 0x0B, 0x8A, 0x03, 0x20 }, buffer);
    }

    [Fact]
    public void Reads_a_block_ignoring_the_reserved_bit()
    {
        Assert.True(TelephoneEvent.TryRead([0x05, 0x4A, 0xFF, 0xFF, 0x99], out TelephoneEvent read));

        Assert.Equal(new TelephoneEvent(5, false, 10, 0xFFFF), read);
    }

    [Fact]
    public void A_payload_shorter_than_a_block_is_refused()
    {
        Assert.False(TelephoneEvent.TryRead([0x05, 0x8A, 0x00], out _));
    }
}
