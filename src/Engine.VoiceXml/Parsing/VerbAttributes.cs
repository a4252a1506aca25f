using System.Globalization;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Parsing;

/// <summary>
/// The attributes of one element, looked up case-insensitively (didML writes &lt;hangup/&gt;, TwiML
/// numDigits; customers mix both), with validating conversions that fail with
/// <see cref="VoiceAppErrorCode.InvalidVerb"/> and a message naming the element, attribute and value.
/// </summary>
internal sealed class VerbAttributes
{
    private readonly List<KeyValuePair<string, string>> _items = new(4);

    public VerbAttributes(string element, int line)
    {
        Element = element;
        Line = line;
    }

    public string Element { get; }

    public int Line { get; }

    public void Add(string name, string value) => _items.Add(new(name, value));

    public string? Get(string name)
    {
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
                return item.Value;
        }
        return null;
    }

    public VoiceAppException Invalid(string attribute, string value, string rule) =>
        new(VoiceAppErrorCode.InvalidVerb,
            $"line {Line}: <{Element} {attribute}=\"{Shorten(value)}\">: {attribute} {rule}");

    /// <summary>A whole number in [min, max]; digits only (no sign, exponent or fraction), as TwiML requires.</summary>
    public int GetInt(string name, int defaultValue, int min, int max)
    {
        var raw = Get(name);
        if (raw is null)
            return defaultValue;
        var text = raw.Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Invalid(name, raw, $"must be a whole number from {min} to {max}");
        return value;
    }

    public int? GetOptionalInt(string name, int min, int max)
    {
        if (Get(name) is null)
            return null;
        return GetInt(name, 0, min, max);
    }

    public TimeSpan GetSeconds(string name, TimeSpan defaultValue, int min, int max) =>
        Get(name) is null ? defaultValue : TimeSpan.FromSeconds(GetInt(name, 0, min, max));

    /// <summary>A loop count: 1..1000, where 0 means "until the call ends", which Twilio caps at 1000 plays.</summary>
    public int GetLoop()
    {
        var loop = GetInt("loop", 1, 0, MaxLoop);
        return loop == 0 ? MaxLoop : loop;
    }

    public const int MaxLoop = 1000;

    public bool GetBool(string name, bool defaultValue)
    {
        var raw = Get(name);
        if (raw is null)
            return defaultValue;
        var text = raw.Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
            return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
            return false;
        throw Invalid(name, raw, "must be true or false");
    }

    public RequestMethod GetMethod(string name = "method")
    {
        var raw = Get(name);
        if (raw is null)
            return RequestMethod.Post;
        var text = raw.Trim();
        if (text.Equals("POST", StringComparison.OrdinalIgnoreCase))
            return RequestMethod.Post;
        if (text.Equals("GET", StringComparison.OrdinalIgnoreCase))
            return RequestMethod.Get;
        throw Invalid(name, raw, "must be GET or POST");
    }

    public TrimMode GetTrim(TrimMode defaultValue)
    {
        var raw = Get("trim");
        if (raw is null)
            return defaultValue;
        var text = raw.Trim();
        if (text.Equals("trim-silence", StringComparison.OrdinalIgnoreCase))
            return TrimMode.TrimSilence;
        if (text.Equals("do-not-trim", StringComparison.OrdinalIgnoreCase))
            return TrimMode.DoNotTrim;
        throw Invalid("trim", raw, "must be trim-silence or do-not-trim");
    }

    /// <summary>
    /// A key set for finishOnKey: characters from 0-9 * #, no repeats; empty allowed (no key
    /// finishes). <paramref name="singleKey"/> is Gather's rule (one key, Twilio warning 13310).
    /// </summary>
    public string GetFinishOnKey(string defaultValue, bool singleKey)
    {
        var raw = Get("finishOnKey");
        if (raw is null)
            return defaultValue;
        var text = raw.Trim();
        if (singleKey && text.Length > 1)
            throw Invalid("finishOnKey", raw, "must be one of 0-9, *, # or empty");
        foreach (var c in text)
        {
            if (!IsDtmfKey(c) || c is >= 'A' and <= 'D')
                throw Invalid("finishOnKey", raw, "may contain only 0-9, * and #");
        }
        return text;
    }

    /// <summary>A DTMF string as Twilio's digits/sendDigits take it: 0-9 * # A-D, w (0.5 s) and W (1 s).</summary>
    public string? GetDigits(string name, int maxLength)
    {
        var raw = Get(name);
        if (raw is null)
            return null;
        var text = raw.Trim();
        if (text.Length == 0)
            return null;
        if (text.Length > maxLength)
            throw Invalid(name, raw, $"must be at most {maxLength} characters");
        Span<char> normalized = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is 'w' or 'W')
            {
                normalized[i] = c;
                continue;
            }
            var upper = char.ToUpperInvariant(c);
            if (!IsDtmfKey(upper))
                throw Invalid(name, raw, "may contain only 0-9, *, #, A-D, w and W");
            normalized[i] = upper;
        }
        return new string(normalized);
    }

    /// <summary>A short token such as a voice or language name: letters, digits, '.', '-' and '_', at most 64.</summary>
    public string? GetToken(string name)
    {
        var raw = Get(name);
        if (raw is null)
            return null;
        var text = raw.Trim();
        if (text.Length == 0)
            return null;
        if (text.Length > 64)
            throw Invalid(name, raw, "must be at most 64 characters");
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                throw Invalid(name, raw, "may contain only letters, digits, '.', '-' and '_'");
        }
        return text;
    }

    /// <summary>Free text such as a caller ID: printable, at most <paramref name="maxLength"/>.</summary>
    public string? GetText(string name, int maxLength)
    {
        var raw = Get(name);
        if (raw is null)
            return null;
        var text = raw.Trim();
        if (text.Length == 0)
            return null;
        if (text.Length > maxLength)
            throw Invalid(name, raw, $"must be at most {maxLength} characters");
        foreach (var c in text)
        {
            if (char.IsControl(c))
                throw Invalid(name, raw, "must not contain control characters");
        }
        return text;
    }

    public Uri? GetUrl(string name, Uri? baseUri)
    {
        var raw = Get(name);
        if (raw is null || raw.Trim().Length == 0)
            return null;
        return ResolveUrl(raw, baseUri, $"<{Element} {name}>", Line);
    }

    /// <summary>
    /// Resolves an absolute or relative http(s) URL against the document's URL (TwiML allows both).
    /// Relative references are combined explicitly: on Unix <c>new Uri("/x", UriKind.RelativeOrAbsolute)</c>
    /// would read "/x" as a file path.
    /// </summary>
    public static Uri ResolveUrl(string raw, Uri? baseUri, string where, int line)
    {
        var text = raw.Trim();
        if (text.Length > MaxUrlLength)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidUrl, $"line {line}: {where}: the URL is longer than {MaxUrlLength} characters");
        Uri? result = null;
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            Uri.TryCreate(text, UriKind.Absolute, out result);
        else if (baseUri is not null && !LooksLikeOtherScheme(text))
            Uri.TryCreate(baseUri, text, out result);
        if (result is null || (result.Scheme != Uri.UriSchemeHttp && result.Scheme != Uri.UriSchemeHttps))
        {
            var why = baseUri is null && !LooksLikeOtherScheme(text)
                ? "is relative, and the document has no URL to resolve it against"
                : "is not an http or https URL";
            throw new VoiceAppException(VoiceAppErrorCode.InvalidUrl, $"line {line}: {where}: '{Shorten(text)}' {why}");
        }
        return result;
    }

    public const int MaxUrlLength = 2048;

    private static bool LooksLikeOtherScheme(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
            return false;
        var slash = text.IndexOfAny(['/', '?', '#']);
        return slash < 0 || colon < slash;
    }

    public static bool IsDtmfKey(char c) => c is (>= '0' and <= '9') or '*' or '#' or (>= 'A' and <= 'D');

    public static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "...");
}
