using Dialtone.Daemon.Speech;

namespace Dialtone.Daemon.Tests.Speech;

public sealed class SpeechVoiceMapperTests
{
    [Theory]
    [InlineData(null, null, "en-us+m3")]
    [InlineData("man", "en", "en-us+m3")]
    [InlineData("woman", "en-gb", "en-gb+f3")]
    [InlineData("alice", "en-AU", "en-gb+f3")]
    [InlineData("woman", "fr-FR", "fr-fr+f3")]
    [InlineData("man", "es-MX", "es-419+m3")]
    [InlineData("man", "de-DE", "de+m3")]
    [InlineData("woman", "pt-BR", "pt-br+f3")]
    [InlineData("Polly.Joanna", null, "en-us+f3")]
    [InlineData("Polly.Matthew-Neural", null, "en-us+m3")]
    [InlineData("Polly.Amy", null, "en-gb+f3")]
    [InlineData("Polly.Hans", null, "de+m3")]
    [InlineData("Polly.Celine", "fr-CA", "fr-fr+f3")]
    [InlineData("Polly.Unheard", null, "en-us+f3")]
    [InlineData("man", "xx-YY", "xx-yy+m3")]
    public void Twilio_voices_and_languages_map_to_espeak_voices(string? voice, string? language, string expected)
    {
        var mapped = SpeechVoiceMapper.Map(voice, language);

        Assert.Equal(expected, mapped.EspeakName);
        Assert.Equal(SpeechVoiceMapper.TelephonyWordsPerMinute, mapped.WordsPerMinute);
    }
}
