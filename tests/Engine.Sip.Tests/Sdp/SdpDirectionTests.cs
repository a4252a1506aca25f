using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpDirectionTests
{
    [Theory]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendRecv)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.Inactive, SdpDirection.Inactive)]
    public void Mirror_is_the_same_stream_seen_from_the_other_side(SdpDirection direction, SdpDirection mirrored)
    {
        Assert.Equal(mirrored, direction.Mirror());
        Assert.Equal(direction, direction.Mirror().Mirror());
    }

    [Theory]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.SendRecv, SdpDirection.Inactive, SdpDirection.Inactive)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly, SdpDirection.Inactive)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendRecv, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.SendOnly, SdpDirection.SendOnly)]
    public void Intersect_keeps_only_what_both_allow(SdpDirection first, SdpDirection second, SdpDirection expected)
    {
        Assert.Equal(expected, first.Intersect(second));
        Assert.Equal(expected, second.Intersect(first));
    }

    [Theory]
    [InlineData("sendrecv", SdpDirection.SendRecv)]
    [InlineData("SendOnly", SdpDirection.SendOnly)]
    [InlineData("recvonly", SdpDirection.RecvOnly)]
    [InlineData("INACTIVE", SdpDirection.Inactive)]
    public void Parses_and_writes_the_four_attributes(string name, SdpDirection direction)
    {
        Assert.True(SdpDirectionExtensions.TryParse(System.Text.Encoding.ASCII.GetBytes(name), out SdpDirection parsed));
        Assert.Equal(direction, parsed);
        Assert.Equal(name.ToLowerInvariant(), SdpTestData.Text(direction.ToAttributeName()));
        Assert.False(SdpDirectionExtensions.TryParse("sendrecv2"u8, out _));
    }

    [Fact]
    public void Without_send_keeps_only_receiving()
    {
        Assert.Equal(SdpDirection.RecvOnly, SdpDirection.SendRecv.WithoutSend());
        Assert.Equal(SdpDirection.Inactive, SdpDirection.SendOnly.WithoutSend());
        Assert.True(SdpDirection.SendRecv.Sends() && SdpDirection.SendRecv.Receives());
        Assert.False(SdpDirection.Inactive.Sends() || SdpDirection.Inactive.Receives());
    }
}
