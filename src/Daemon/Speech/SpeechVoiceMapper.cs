namespace Dialtone.Daemon.Speech;

/// <summary>
/// Maps a &lt;Say&gt;'s voice and language attributes (Twilio's man, woman, alice, Polly.* and BCP-47
/// tags) to an espeak-ng voice. Gender picks the variant (+m3 / +f3, the clearest of espeak's
/// variants over a G.711 line); the language picks the espeak language voice, falling back to its
/// primary subtag and then to en-us, so an unusual tag never fails a call.
/// </summary>
public static class SpeechVoiceMapper
{
    /// <summary>
    /// Words per minute: a little slower than espeak's 175 default, because 8 kHz G.711 loses the
    /// high consonants that carry intelligibility and callers are often writing down digits.
    /// </summary>
    public const int TelephonyWordsPerMinute = 160;

    public static SpeechVoice Map(string? voice, string? language)
    {
        var female = false;
        string? impliedLanguage = null;
        if (voice is not null)
        {
            if (voice.Equals("woman", StringComparison.OrdinalIgnoreCase) || voice.Equals("alice", StringComparison.OrdinalIgnoreCase))
            {
                female = true;
            }
            else if (voice.StartsWith("Polly.", StringComparison.OrdinalIgnoreCase) || voice.StartsWith("Google.", StringComparison.OrdinalIgnoreCase))
            {
                (female, impliedLanguage) = CloudVoice(voice);
            }
        }
        var name = LanguageVoice(language ?? impliedLanguage ?? "en-US");
        return new SpeechVoice(name, female ? "f3" : "m3", TelephonyWordsPerMinute);
    }

    /// <summary>
    /// The espeak-ng voice for a BCP-47 tag. Tags espeak names differently are translated; any other
    /// tag is passed through lower-cased and the synthesiser falls back when espeak does not know it.
    /// </summary>
    public static string LanguageVoice(string language)
    {
        var tag = language.Trim().Replace('_', '-').ToLowerInvariant();
        return tag switch
        {
            "en" or "en-us" => "en-us",
            "en-gb" or "en-au" or "en-nz" or "en-ie" or "en-za" or "en-in" => "en-gb",
            "en-ca" => "en-us",
            "fr" or "fr-fr" or "fr-ca" => "fr-fr",
            "es" or "es-es" => "es",
            "es-mx" or "es-us" or "es-419" => "es-419",
            "pt" or "pt-pt" => "pt",
            "pt-br" => "pt-br",
            "de" or "de-de" or "de-at" or "de-ch" => "de",
            "it" or "it-it" => "it",
            "nl" or "nl-nl" or "nl-be" => "nl",
            "nb" or "nb-no" or "no" or "no-no" => "nb",
            "sv" or "sv-se" => "sv",
            "da" or "da-dk" => "da",
            "fi" or "fi-fi" => "fi",
            "pl" or "pl-pl" => "pl",
            "ru" or "ru-ru" => "ru",
            "ja" or "ja-jp" => "ja",
            "ko" or "ko-kr" => "ko",
            "zh" or "zh-cn" or "zh-tw" or "cmn-cn" => "cmn",
            "zh-hk" or "yue-hk" => "yue",
            "ca" or "ca-es" => "ca",
            _ => tag,
        };
    }

    /// <summary>Gender and language of the Polly and Google voices customers write most; unknown ones are taken as female en-US (Polly's default, Joanna).</summary>
    private static (bool Female, string? Language) CloudVoice(string voice)
    {
        var name = voice[(voice.IndexOf('.') + 1)..];
        var dash = name.IndexOf("-Neural", StringComparison.OrdinalIgnoreCase);
        if (dash > 0)
            name = name[..dash];
        return name.ToLowerInvariant() switch
        {
            "matthew" or "joey" or "justin" or "kevin" or "stephen" => (false, "en-US"),
            "joanna" or "salli" or "kimberly" or "kendra" or "ivy" or "ruth" or "danielle" => (true, "en-US"),
            "brian" or "arthur" => (false, "en-GB"),
            "amy" or "emma" => (true, "en-GB"),
            "russell" => (false, "en-AU"),
            "nicole" or "olivia" => (true, "en-AU"),
            "mathieu" or "remi" => (false, "fr-FR"),
            "celine" or "léa" or "lea" => (true, "fr-FR"),
            "hans" or "daniel" => (false, "de-DE"),
            "marlene" or "vicki" => (true, "de-DE"),
            "enrique" or "sergio" => (false, "es-ES"),
            "conchita" or "lucia" => (true, "es-ES"),
            "miguel" or "andres" => (false, "es-US"),
            "penelope" or "lupe" or "mia" => (true, "es-US"),
            "giorgio" or "adriano" => (false, "it-IT"),
            "carla" or "bianca" => (true, "it-IT"),
            "ricardo" or "thiago" => (false, "pt-BR"),
            "vitoria" or "camila" => (true, "pt-BR"),
            "takumi" => (false, "ja-JP"),
            "mizuki" or "kazuha" => (true, "ja-JP"),
            _ => (true, null),
        };
    }
}
