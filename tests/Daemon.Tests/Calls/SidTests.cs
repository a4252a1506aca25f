using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Calls;

public sealed class SidTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(0x1234)]
    [InlineData(Sid.MaxNodeId)]
    public void Call_sids_are_CA_and_32_lowercase_hex_digits_carrying_the_node(int node)
    {
        var sid = Sid.NewCallSid(node);

        Assert.Matches("^CA[0-9a-f]{32}$", sid);
        Assert.True(Sid.IsCallSid(sid));
        Assert.Equal(node, Sid.NodeOf(sid));
        Assert.Equal(node.ToString("x4"), sid[2..6]);
    }

    [Fact]
    public void Call_sids_differ_in_their_random_part()
    {
        var sids = Enumerable.Range(0, 1000).Select(_ => Sid.NewCallSid(7)).ToHashSet();

        Assert.Equal(1000, sids.Count);
    }

    [Fact]
    public void A_later_call_sid_of_a_node_sorts_after_an_earlier_one()
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var earlier = Enumerable.Range(0, 100).Select(_ => Sid.NewCallSid(7, t)).ToList();
        var later = Sid.NewCallSid(7, t.AddMilliseconds(1));

        Assert.All(earlier, sid => Assert.True(string.CompareOrdinal(sid, later) < 0, $"{sid} !< {later}"));
        // The time is the 12 digits after the node; the 16 after it are random.
        Assert.All(earlier, sid => Assert.Equal(t.ToUnixTimeMilliseconds().ToString("x12"), sid[6..18]));
        Assert.Equal(100, earlier.Select(sid => sid[18..]).Distinct().Count());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Sid.MaxNodeId + 1)]
    public void A_node_id_outside_16_bits_is_refused(int node) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sid.NewCallSid(node));

    [Theory]
    [InlineData("CA0123456789abcdef0123456789abcdef", true)]
    [InlineData("CA0123456789ABCDEF0123456789abcdef", false)]
    [InlineData("CA0123456789abcdef0123456789abcde", false)]
    [InlineData("CA0123456789abcdef0123456789abcdeg", false)]
    [InlineData("AC0123456789abcdef0123456789abcdef", false)]
    [InlineData("", false)]
    public void Call_sid_shape_is_checked(string text, bool valid) => Assert.Equal(valid, Sid.IsCallSid(text));

    [Theory]
    [InlineData("AC0123456789abcdef0123456789abcdef", true)]
    [InlineData("AC0123456789ABCDEF0123456789ABCDEF", true)]
    [InlineData("AC0123456789abcdef", false)]
    [InlineData("CA0123456789abcdef0123456789abcdef", false)]
    public void Account_sid_shape_is_checked(string text, bool valid) => Assert.Equal(valid, Sid.IsAccountSid(text));

    [Fact]
    public void Reading_the_node_of_something_that_is_not_a_call_sid_is_an_error() =>
        Assert.Throws<FormatException>(() => Sid.NodeOf("CAnope"));
}
