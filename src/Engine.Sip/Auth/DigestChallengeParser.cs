using System.Diagnostics.CodeAnalysis;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// A tolerant parser of a raw WWW-Authenticate / Proxy-Authenticate value such as
/// <c>Digest realm="atlanta.com", nonce="84a4cc6f", qop="auth", algorithm=MD5</c>
/// (RFC 3261 §25.1 challenge, RFC 7616 §3.3). Tolerates linear whitespace and line folding,
/// empty list elements, quoted values where tokens are expected and tokens where quotes are
/// expected; skips other schemes in the same value. Rejects, with a message, what cannot be read
/// safely: an unterminated quote, an over-long value, a control character, a missing nonce.
/// The challenge path is rare, so this works on strings.
/// </summary>
public static class DigestChallengeParser
{
    /// <summary>The longest header value accepted.</summary>
    public const int MaxHeaderValueLength = 8192;

    /// <summary>Parses the first usable Digest challenge in <paramref name="headerValue"/>.</summary>
    public static bool TryParse(
        string headerValue,
        bool isProxy,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        var challenges = new List<DigestChallenge>(1);
        if (!TryParseAll(headerValue, isProxy, challenges, out error))
        {
            challenge = null;
            return false;
        }
        challenge = challenges[0];
        return true;
    }

    /// <summary>
    /// Parses every Digest challenge in <paramref name="headerValue"/> (one header may carry several,
    /// RFC 7235 §4.1) into <paramref name="challenges"/>. A challenge that is well-formed but
    /// unusable (no nonce, say) is left out; the result is false, with the first error, when no
    /// Digest challenge could be read at all or the value's syntax is broken.
    /// </summary>
    public static bool TryParseAll(string headerValue, bool isProxy, List<DigestChallenge> challenges, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        ArgumentNullException.ThrowIfNull(challenges);
        if (headerValue.Length > MaxHeaderValueLength)
        {
            error = $"the header value is longer than {MaxHeaderValueLength} characters";
            return false;
        }

        int found = challenges.Count;
        string? firstError = null;
        var builder = new DigestChallengeBuilder { IsProxy = isProxy };
        var text = headerValue.AsSpan();
        int pos = 0;
        bool inDigest = false;
        bool sawScheme = false;

        while (true)
        {
            SkipSeparators(text, ref pos);
            if (pos == text.Length)
                break;

            int nameStart = pos;
            while (pos < text.Length && IsTokenChar(text[pos]))
                pos++;
            if (pos == nameStart)
                return Fail($"unexpected '{Printable(text[pos])}' at offset {pos}", out error);
            var name = text[nameStart..pos];

            int afterName = pos;
            SkipWhitespace(text, ref pos);
            if (pos < text.Length && text[pos] == '=')
            {
                if (!sawScheme)
                    return Fail("the value does not start with an authentication scheme", out error);
                pos++;
                SkipWhitespace(text, ref pos);
                if (!TryReadValue(text, ref pos, out var value, out var valueError))
                    return Fail(valueError, out error);
                if (pos < text.Length && text[pos] != ',' && !IsWhitespace(text[pos]))
                    return Fail($"text after the closing quote of a value at offset {pos}", out error);
                if (inDigest)
                    builder.Add(name, value);
                continue;
            }

            // A token not followed by '=' starts a new challenge (auth-scheme); token68 credentials of
            // other schemes are not expected in a challenge and are skipped with that scheme.
            pos = afterName;
            if (inDigest)
                Finish(builder, challenges, ref firstError);
            sawScheme = true;
            inDigest = name.Equals("Digest", StringComparison.OrdinalIgnoreCase);
            builder.Reset();
            builder.IsProxy = isProxy;
        }

        if (inDigest)
            Finish(builder, challenges, ref firstError);

        if (challenges.Count > found)
        {
            error = null;
            return true;
        }
        error = firstError ?? (sawScheme ? "the value has no Digest challenge" : "the value is empty");
        return false;
    }

    private static void Finish(DigestChallengeBuilder builder, List<DigestChallenge> challenges, ref string? firstError)
    {
        if (builder.TryBuild(out var challenge, out var error))
            challenges.Add(challenge);
        else
            firstError ??= error;
    }

    private static bool TryReadValue(ReadOnlySpan<char> text, ref int pos, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (pos < text.Length && text[pos] == '"')
        {
            int start = pos;
            pos++;
            while (pos < text.Length && text[pos] != '"')
            {
                if (text[pos] == '\\')
                    pos++;
                pos++;
                if (pos - start > DigestChallengeBuilder.MaxValueLength + 2)
                {
                    error = $"a quoted value is longer than {DigestChallengeBuilder.MaxValueLength} characters";
                    return false;
                }
            }
            if (pos >= text.Length)
            {
                error = $"unterminated quoted-string starting at offset {start}";
                return false;
            }
            pos++;
            // The builder removes the quotes and quoted-pair escapes.
            value = text[start..pos].ToString();
            error = null;
            return true;
        }

        int tokenStart = pos;
        while (pos < text.Length && text[pos] != ',' && text[pos] != '"' && !IsWhitespace(text[pos]))
            pos++;
        if (pos - tokenStart > DigestChallengeBuilder.MaxValueLength)
        {
            error = $"a value is longer than {DigestChallengeBuilder.MaxValueLength} characters";
            return false;
        }
        if (pos < text.Length && text[pos] == '"')
        {
            error = $"unexpected quote at offset {pos}";
            return false;
        }
        value = text[tokenStart..pos].ToString();
        error = null;
        return true;
    }

    private static void SkipSeparators(ReadOnlySpan<char> text, ref int pos)
    {
        while (pos < text.Length && (text[pos] == ',' || IsWhitespace(text[pos])))
            pos++;
    }

    private static void SkipWhitespace(ReadOnlySpan<char> text, ref int pos)
    {
        while (pos < text.Length && IsWhitespace(text[pos]))
            pos++;
    }

    // LWS includes folded lines (CRLF followed by whitespace, RFC 3261 §25.1).
    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    // token characters of RFC 3261 §25.1.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
