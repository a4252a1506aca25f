using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Calls;

public sealed class CallAddressTests
{
    [Theory]
    [InlineData("+19499300360", true)]
    [InlineData("19499300360", true)]
    [InlineData("911", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567890123456", false)]
    [InlineData("12", false)]
    [InlineData("+1 949 930 0360", false)]
    [InlineData("+1-949", false)]
    [InlineData("", false)]
    [InlineData("sip:alice@example.com", true)]
    [InlineData("sip:+15550100@127.0.0.1:5090;transport=tcp", true)]
    [InlineData("sips:bob@[2001:db8::1]:5061", true)]
    [InlineData("sip:example.com", true)]
    [InlineData("sip:", false)]
    [InlineData("sip:@example.com", false)]
    [InlineData("sip:alice@", false)]
    [InlineData("sip:alice@exa mple.com", false)]
    [InlineData("sip:alice@example.com:99999", false)]
    [InlineData("tel:+15550100", false)]
    [InlineData("http://example.com", false)]
    public void Numbers_and_sip_uris_are_recognised(string text, bool valid) => Assert.Equal(valid, CallAddress.IsValid(text));
}
