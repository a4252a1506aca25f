using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// Builds a <see cref="DigestChallenge"/> from its auth-params one at a time, so that a message
/// parser can hand over the name/value pairs it found (UTF-8 spans, values quoted or not) without
/// knowing the Digest rules. Hostile input gives an error from <see cref="TryBuild"/>, never an
/// exception: oversized values, control characters, duplicate parameters, a missing realm or nonce.
/// Reusable after <see cref="Reset"/>.
/// </summary>
public sealed class DigestChallengeBuilder
{
    /// <summary>The longest parameter value accepted (a nonce or opaque is rarely over 200 characters).</summary>
    public const int MaxValueLength = 1024;

    /// <summary>The most parameters accepted in one challenge.</summary>
    public const int MaxParameters = 32;

    private const int MaxNameLength = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private string? _realm;
    private string? _nonce;
    private string? _opaque;
    private string? _algorithmToken;
    private string? _domain;
    private string? _charset;
    private DigestQop _qop;
    private bool _hasQop;
    private bool _stale;
    private bool _userHash;
    private int _parameterCount;
    private string? _error;

    /// <summary>Set for a Proxy-Authenticate challenge.</summary>
    public bool IsProxy { get; set; }

    /// <summary>The first problem met so far, or null.</summary>
    public string? Error => _error;

    /// <summary>
    /// Adds one auth-param. <paramref name="value"/> may be a quoted-string with its quotes (they
    /// and any quoted-pair escapes are removed) or a bare token. Both are UTF-8.
    /// </summary>
    public DigestChallengeBuilder Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_error is not null)
            return this;
        if (value.Length > MaxValueLength + 2)
            return Fail("a parameter value is longer than " + MaxValueLength + " bytes");

        string text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return Fail("a parameter value is not valid UTF-8");
        }

        if (name.Length > MaxNameLength)
            return Fail("a parameter name is too long");
        // Parameter names are tokens, ASCII by definition (RFC 3261 §25.1); a stray high byte
        // simply names no known parameter.
        Span<char> nameChars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++)
            nameChars[i] = (char)name[i];
        return Add(nameChars, text);
    }

    /// <summary>Adds one auth-param given as text; the value may be quoted as on the wire.</summary>
    public DigestChallengeBuilder Add(ReadOnlySpan<char> name, string value)
    {
        if (_error is not null)
            return this;
        if (value.Length >= 2 && value[0] == '"')
        {
            if (!TryUnquote(value, out var unquoted, out var quoteError))
                return Fail(quoteError);
            value = unquoted;
        }
        else if (value.Length > 0 && value[0] == '"')
        {
            return Fail("unterminated quoted-string");
        }

        return AddUnquoted(name, value);
    }

    /// <summary>Validates what was added and returns the challenge, or why there is none.</summary>
    public bool TryBuild([NotNullWhen(true)] out DigestChallenge? challenge, [NotNullWhen(false)] out string? error)
    {
        challenge = null;
        error = _error;
        if (error is not null)
            return false;
        if (_realm is null)
        {
            error = "the challenge has no realm";
            return false;
        }
        if (string.IsNullOrEmpty(_nonce))
        {
            error = "the challenge has no nonce";
            return false;
        }

        challenge = new DigestChallenge
        {
            Realm = _realm,
            Nonce = _nonce,
            Opaque = _opaque,
            Algorithm = _algorithmToken is null ? DigestAlgorithm.Md5 : DigestAlgorithms.Parse(_algorithmToken),
            AlgorithmToken = _algorithmToken,
            Qop = _qop,
            HasQop = _hasQop,
            Stale = _stale,
            Domain = _domain,
            UserHash = _userHash,
            Charset = _charset,
            IsProxy = IsProxy,
        };
        return true;
    }

    /// <summary>Forgets everything added, for the next challenge.</summary>
    public void Reset()
    {
        _realm = _nonce = _opaque = _algorithmToken = _domain = _charset = _error = null;
        _qop = DigestQop.None;
        _hasQop = _stale = _userHash = false;
        _parameterCount = 0;
    }

    internal DigestChallengeBuilder AddUnquoted(ReadOnlySpan<char> name, string value)
    {
        if (_error is not null)
            return this;
        if (++_parameterCount > MaxParameters)
            return Fail("the challenge has more than " + MaxParameters + " parameters");
        if (name.IsEmpty)
            return Fail("a parameter has no name");
        if (value.Length > MaxValueLength)
            return Fail($"the value of '{name}' is longer than {MaxValueLength} characters");
        // Realm, nonce and opaque are echoed into our Authorization header: a CR, LF or NUL in them
        // would let the server inject header lines.
        foreach (char c in value)
        {
            if (char.IsControl(c) && c != '\t')
                return Fail($"the value of '{name}' contains a control character");
        }

        if (name.Equals("realm", StringComparison.OrdinalIgnoreCase))
            return Set(ref _realm, value, "realm");
        if (name.Equals("nonce", StringComparison.OrdinalIgnoreCase))
            return value.Length == 0 ? Fail("the nonce is empty") : Set(ref _nonce, value, "nonce");
        if (name.Equals("opaque", StringComparison.OrdinalIgnoreCase))
            return Set(ref _opaque, value, "opaque");
        if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase))
            return Set(ref _algorithmToken, value.Trim(), "algorithm");
        if (name.Equals("domain", StringComparison.OrdinalIgnoreCase))
            return Set(ref _domain, value, "domain");
        if (name.Equals("stale", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 7616 §3.3: anything but "true" (case-insensitive) is false.
            _stale = value.AsSpan().Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
            return this;
        }
        if (name.Equals("userhash", StringComparison.OrdinalIgnoreCase))
        {
            _userHash = value.AsSpan().Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
            return this;
        }
        if (name.Equals("charset", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 7616 §3.3: the only allowed value is "UTF-8".
            if (value.AsSpan().Trim().Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
                _charset = "UTF-8";
            return this;
        }
        if (name.Equals("qop", StringComparison.OrdinalIgnoreCase))
        {
            if (_hasQop)
                return Fail("the challenge has more than one qop");
            _hasQop = true;
            foreach (var range in value.AsSpan().Split(','))
            {
                var option = value.AsSpan()[range].Trim();
                if (option.Equals("auth", StringComparison.OrdinalIgnoreCase))
                    _qop |= DigestQop.Auth;
                else if (option.Equals("auth-int", StringComparison.OrdinalIgnoreCase))
                    _qop |= DigestQop.AuthInt;
            }
            return this;
        }

        // Other auth-params are extensions (RFC 7616 §3.3 "auth-param"): ignored.
        return this;
    }

    private DigestChallengeBuilder Set(ref string? field, string value, string name)
    {
        if (field is not null)
            return Fail($"the challenge has more than one {name}");
        field = value;
        return this;
    }

    private DigestChallengeBuilder Fail(string error)
    {
        _error ??= error;
        return this;
    }

    // quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE (RFC 3261 §25.1).
    private static bool TryUnquote(string quoted, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        var builder = new StringBuilder(quoted.Length);
        for (int i = 1; i < quoted.Length; i++)
        {
            char c = quoted[i];
            if (c == '\\')
            {
                if (++i == quoted.Length)
                    break;
                builder.Append(quoted[i]);
            }
            else if (c == '"')
            {
                if (i != quoted.Length - 1)
                {
                    error = "text after the closing quote of a value";
                    return false;
                }
                value = builder.ToString();
                error = null;
                return true;
            }
            else
            {
                builder.Append(c);
            }
        }
        error = "unterminated quoted-string";
        return false;
    }
}
