using System.Globalization;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>Turns request parameters into a <see cref="CallRequest"/>, or the first problem found (naming its field).</summary>
public static class CallRequestValidator
{
    public const int MaxUrlLength = 4000;
    public const int MaxSendDigits = 256;
    public const int MaxTimeoutSeconds = 600;
    public const int MaxTimeLimitSeconds = 24 * 60 * 60;
    public const int MaxSecretKeyLength = 512;
    public const int MaxOptionalLength = 1024;

    public static (CallRequest? Request, ApiProblem? Problem) ValidateCreate(RequestParameters parameters, CallbackDialect dialect)
    {
        try
        {
            return (BuildCreate(new Reader(parameters), dialect), null);
        }
        catch (ProblemException problem)
        {
            return (null, problem.Problem);
        }
    }

    /// <summary>For <c>POST /v1/calls/{sid}</c>: a redirect (<c>url</c>/<c>twiml</c>) or a <c>status</c> of completed or canceled.</summary>
    public static (CallUpdate? Update, ApiProblem? Problem) ValidateUpdate(RequestParameters parameters)
    {
        try
        {
            var reader = new Reader(parameters);
            var url = reader.Url(CallParameter.Url);
            var twiml = reader.Single(CallParameter.Twiml);
            var method = reader.Method(CallParameter.Method);
            var statusText = reader.Single(CallParameter.Status);
            if (url is not null && twiml is not null)
                throw Problem(ApiErrorCode.ConflictingParameters, reader.Spelling(CallParameter.Twiml), "give url or twiml, not both");
            CallStatus? status = null;
            if (statusText is not null)
            {
                if (!CallStatusText.TryParse(statusText, out var parsed) || parsed is not (CallStatus.Completed or CallStatus.Canceled))
                    throw Problem(ApiErrorCode.InvalidStatus, reader.Spelling(CallParameter.Status), $"status must be completed (hang up) or canceled, got '{statusText}'");
                status = parsed;
            }
            if (status is not null && (url is not null || twiml is not null))
                throw Problem(ApiErrorCode.ConflictingParameters, reader.Spelling(CallParameter.Status), "give status, or url/twiml to redirect, not both");
            if (status is null && url is null && twiml is null)
                throw Problem(ApiErrorCode.NothingToUpdate, null, "nothing to do: give url or twiml (redirect) or status=completed|canceled");
            var redirect = status is null ? new CallRedirect(url, method ?? HttpMethodKind.Post, twiml) : null;
            return (new CallUpdate(redirect, status), null);
        }
        catch (ProblemException problem)
        {
            return (null, problem.Problem);
        }
    }

    private static CallRequest BuildCreate(Reader reader, CallbackDialect dialect)
    {
        foreach (var unsupported in CallParameter.Unsupported)
        {
            if (reader.Has(unsupported))
                throw Problem(ApiErrorCode.UnsupportedParameter, reader.Spelling(unsupported), $"{unsupported} is not supported by this server");
        }

        var to = reader.Address(CallParameter.To);
        var from = reader.Address(CallParameter.From);
        var callerId = reader.Address(CallParameter.CallerId, required: false);
        var url = reader.Url(CallParameter.Url);
        var twiml = reader.Single(CallParameter.Twiml);
        if (url is not null && twiml is not null)
            throw Problem(ApiErrorCode.ConflictingParameters, reader.Spelling(CallParameter.Twiml), "give url or twiml, not both");

        var sendDigits = reader.Single(CallParameter.SendDigits);
        if (sendDigits is not null)
        {
            if (sendDigits.Length > MaxSendDigits)
                throw Problem(ApiErrorCode.InvalidSendDigits, reader.Spelling(CallParameter.SendDigits), $"senddigits is longer than {MaxSendDigits} characters");
            foreach (var c in sendDigits)
            {
                // DTMF events 0-9 * # A-D (RFC 4733 §3.2); w and W are pauses of 0.5 s and 1 s (seed spec).
                if (!(char.IsAsciiDigit(c) || c is '*' or '#' or 'A' or 'B' or 'C' or 'D' or 'w' or 'W'))
                    throw Problem(ApiErrorCode.InvalidSendDigits, reader.Spelling(CallParameter.SendDigits),
                        $"senddigits may hold only 0-9 * # A-D w W; '{c}' is not allowed");
            }
        }

        var events = reader.Events();
        var optional = reader.Single(CallParameter.Optional);
        if (optional is not null && !IsQueryText(optional))
            throw Problem(ApiErrorCode.InvalidValue, reader.Spelling(CallParameter.Optional),
                $"optional must be query-string text (like token=123456) of at most {MaxOptionalLength} characters, without spaces or '#'");
        var secretKey = reader.Single(CallParameter.SecretKey);
        if (secretKey is not null && secretKey.Length > MaxSecretKeyLength)
            throw Problem(ApiErrorCode.InvalidValue, reader.Spelling(CallParameter.SecretKey), $"secretKey is longer than {MaxSecretKeyLength} characters");

        return new CallRequest
        {
            To = to!,
            From = from!,
            CallerId = callerId,
            Url = url,
            Method = reader.Method(CallParameter.Method) ?? HttpMethodKind.Post,
            FallbackUrl = reader.Url(CallParameter.FallbackUrl),
            FallbackMethod = reader.Method(CallParameter.FallbackMethod) ?? HttpMethodKind.Post,
            Twiml = twiml,
            SendDigits = sendDigits,
            TimeoutSeconds = reader.Integer(CallParameter.Timeout, 1, MaxTimeoutSeconds) ?? CallRequest.DefaultTimeoutSeconds,
            TimeLimitSeconds = reader.Integer(CallParameter.TimeLimit, 1, MaxTimeLimitSeconds) ?? CallRequest.DefaultTimeLimitSeconds,
            Record = reader.Boolean(CallParameter.Record) ?? false,
            StatusCallback = reader.Url(CallParameter.StatusCallback),
            StatusCallbackMethod = reader.Method(CallParameter.StatusCallbackMethod) ?? HttpMethodKind.Post,
            StatusCallbackEvents = events ?? CallEvent.Completed,
            SecretKey = secretKey,
            Optional = optional,
            Dialect = dialect,
        };
    }

    /// <summary>RFC 3986 §3.4 query characters (pchar, "/", "?"), with '%' only as a valid escape.</summary>
    private static bool IsQueryText(string text)
    {
        if (text.Length > MaxOptionalLength)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    return false;
                i += 2;
                continue;
            }
            var ok = char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".Contains(c);
            if (!ok)
                return false;
        }
        return true;
    }

    private static ProblemException Problem(string code, string? field, string message) => new(new ApiProblem(code, message, field));

    private sealed class ProblemException(ApiProblem problem) : Exception(problem.Message)
    {
        public ApiProblem Problem { get; } = problem;
    }

    /// <summary>Typed access to the parameters; each method throws the problem its field has.</summary>
    private readonly struct Reader(RequestParameters parameters)
    {
        public bool Has(string name) => parameters.Contains(name);

        /// <summary>
        /// The name as the caller spelled it; for an absent parameter, in the caller's style: Twilio's
        /// capitalized names if the request uses them, else the seed's lowercase ones.
        /// </summary>
        public string Spelling(string name)
        {
            if (parameters.Contains(name))
                return parameters.SpellingOf(name);
            var twilioStyle = parameters.Names.Any(n => n.Length > 0 && char.IsAsciiLetterUpper(n[0]));
            return twilioStyle ? name : char.ToLowerInvariant(name[0]) + name[1..];
        }

        /// <summary>One value, trimmed; null when absent or blank.</summary>
        public string? Single(string name)
        {
            var values = parameters.All(name);
            if (values.Count == 0)
                return null;
            if (values.Count > 1)
                throw Problem(ApiErrorCode.RepeatedParameter, Spelling(name), $"{Spelling(name)} was given {values.Count} times; give it once");
            var value = values[0].Trim();
            return value.Length == 0 ? null : value;
        }

        public string? Address(string name, bool required = true)
        {
            var value = Single(name);
            if (value is null)
            {
                if (required)
                    throw Problem(ApiErrorCode.MissingParameter, Spelling(name), $"{Spelling(name)} is required");
                return null;
            }
            if (!CallAddress.IsValid(value))
                throw Problem(ApiErrorCode.InvalidPhoneNumber, Spelling(name),
                    $"{Spelling(name)} must be a phone number (+ and 3-15 digits) or a sip: URI, got '{value}'");
            return value;
        }

        public string? Url(string name)
        {
            var value = Single(name);
            if (value is null)
                return null;
            var ok = value.Length <= MaxUrlLength
                     && Uri.TryCreate(value, UriKind.Absolute, out var uri)
                     && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                     && uri.Host.Length > 0
                     && !value.Any(char.IsWhiteSpace);
            if (!ok)
                throw Problem(ApiErrorCode.InvalidUrl, Spelling(name),
                    $"{Spelling(name)} must be an absolute http:// or https:// URL of at most {MaxUrlLength} characters");
            return value;
        }

        public HttpMethodKind? Method(string name)
        {
            var value = Single(name);
            if (value is null)
                return null;
            if (value.Equals("POST", StringComparison.OrdinalIgnoreCase))
                return HttpMethodKind.Post;
            if (value.Equals("GET", StringComparison.OrdinalIgnoreCase))
                return HttpMethodKind.Get;
            throw Problem(ApiErrorCode.InvalidMethod, Spelling(name), $"{Spelling(name)} must be GET or POST, got '{value}'");
        }

        public int? Integer(string name, int min, int max)
        {
            var value = Single(name);
            if (value is null)
                return null;
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                throw Problem(ApiErrorCode.InvalidValue, Spelling(name), $"{Spelling(name)} must be a whole number of seconds, got '{value}'");
            if (number < min || number > max)
                throw Problem(ApiErrorCode.OutOfRange, Spelling(name), $"{Spelling(name)} must be {min}-{max} seconds, got {number}");
            return number;
        }

        public bool? Boolean(string name)
        {
            var value = Single(name);
            if (value is null)
                return null;
            if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
                return true;
            if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
                return false;
            throw Problem(ApiErrorCode.InvalidValue, Spelling(name), $"{Spelling(name)} must be true or false, got '{value}'");
        }

        /// <summary>statusCallbackEvent: space- or comma-separated names, or the key repeated.</summary>
        public CallEvent? Events()
        {
            var values = parameters.All(CallParameter.StatusCallbackEvent);
            if (values.Count == 0)
                return null;
            var set = CallEvent.None;
            foreach (var value in values)
            {
                foreach (var name in value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!CallEventText.TryParse(name, out var single))
                        throw Problem(ApiErrorCode.InvalidStatusCallbackEvent, Spelling(CallParameter.StatusCallbackEvent),
                            $"'{name}' is not an event; use initiated, ringing, answered (or in-progress), completed");
                    set |= single;
                }
            }
            return set == CallEvent.None ? null : set;
        }
    }
}
