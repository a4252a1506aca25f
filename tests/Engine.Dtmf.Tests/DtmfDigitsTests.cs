namespace Dialtone.Engine.Dtmf.Tests;

public sealed class DtmfDigitsTests
{
    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('*', 10)]
    [InlineData('#', 11)]
    [InlineData('A', 12)]
    [InlineData('d', 15)]
    public void Digits_map_to_the_rfc_4733_event_codes(char digit, byte code)
    {
        Assert.True(DtmfDigits.TryGetEventCode(digit, out byte actual));
        Assert.Equal(code, actual);
        Assert.True(DtmfDigits.TryGetDigit(code, out char back));
        Assert.Equal(char.ToUpperInvariant(digit), back);
    }

    [Theory]
    [InlineData("1234567890*#ABCD")]
    [InlineData("WWWW101")]
    [InlineData("w1w2W3")]
    [InlineData("abcd")]
    public void Accepts_digits_and_pauses(string digits)
    {
        DtmfDigits.Validate(digits);
        Assert.True(DtmfDigits.TryValidate(digits, out int index));
        Assert.Equal(-1, index);
    }

    [Theory]
    [InlineData("12x4", 2, 'x')]
    [InlineData("1 2", 1, ' ')]
    [InlineData("E", 0, 'E')]
    [InlineData("123,", 3, ',')]
    [InlineData("1p", 1, 'p')]
    public void Rejects_anything_else_naming_the_character_and_its_position(string digits, int index, char bad)
    {
        Assert.False(DtmfDigits.TryValidate(digits, out int actual));
        Assert.Equal(index, actual);
        ArgumentException error = Assert.Throws<ArgumentException>(() => DtmfDigits.Validate(digits, "senddigits"));
        Assert.Contains($"'{bad}' at position {index + 1}", error.Message, StringComparison.Ordinal);
        Assert.Equal("senddigits", error.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_an_empty_string(string? digits)
    {
        Assert.Throws<ArgumentException>(() => DtmfDigits.Validate(digits));
    }

    [Fact]
    public void Codes_above_15_are_not_digits()
    {
        Assert.False(DtmfDigits.TryGetDigit(16, out _));
    }
}
