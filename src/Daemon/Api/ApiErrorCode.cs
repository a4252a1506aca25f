namespace Dialtone.Daemon.Api;

/// <summary>
/// The stable error codes of the REST API (docs/api-errors.md lists them with their HTTP status and
/// the numeric code used on the Twilio-compatible routes). A code never changes meaning.
/// </summary>
public static class ApiErrorCode
{
    public const string Unauthorized = "unauthorized";
    public const string AccountMismatch = "account_mismatch";
    public const string NotFound = "not_found";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BodyTooLarge = "body_too_large";
    public const string MalformedBody = "malformed_body";
    public const string MissingParameter = "missing_parameter";
    public const string RepeatedParameter = "repeated_parameter";
    public const string UnsupportedParameter = "unsupported_parameter";
    public const string InvalidPhoneNumber = "invalid_phone_number";
    public const string InvalidUrl = "invalid_url";
    public const string InvalidMethod = "invalid_method";
    public const string InvalidStatusCallbackEvent = "invalid_status_callback_event";
    public const string InvalidSendDigits = "invalid_send_digits";
    public const string InvalidValue = "invalid_value";
    public const string OutOfRange = "out_of_range";
    public const string ConflictingParameters = "conflicting_parameters";
    public const string InvalidStatus = "invalid_status";
    public const string NothingToUpdate = "nothing_to_update";
    public const string InvalidCallState = "invalid_call_state";
    public const string TooManyCalls = "too_many_calls";
    public const string ShuttingDown = "shutting_down";
    public const string InternalError = "internal_error";

    /// <summary>Every code, in the order docs/api-errors.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Unauthorized, AccountMismatch, NotFound, UnsupportedMediaType, BodyTooLarge, MalformedBody, MissingParameter,
        RepeatedParameter, UnsupportedParameter, InvalidPhoneNumber, InvalidUrl, InvalidMethod, InvalidStatusCallbackEvent,
        InvalidSendDigits, InvalidValue, OutOfRange, ConflictingParameters, InvalidStatus, NothingToUpdate, InvalidCallState,
        TooManyCalls, ShuttingDown, InternalError,
    ];

    /// <summary>The HTTP status a code is sent with.</summary>
    public static int HttpStatusOf(string code) => code switch
    {
        Unauthorized => 401,
        AccountMismatch => 403,
        NotFound => 404,
        InvalidCallState => 409,
        BodyTooLarge => 413,
        UnsupportedMediaType => 415,
        TooManyCalls => 429,
        InternalError => 500,
        ShuttingDown => 503,
        _ => 400,
    };

    /// <summary>
    /// The numeric code on the Twilio routes: Twilio's own where it has one for the same fault
    /// (so code written against Twilio keeps working), otherwise Dialtone's, from 90001 up.
    /// </summary>
    public static int TwilioCodeOf(string code, string? field) => code switch
    {
        Unauthorized => 20003,
        AccountMismatch => 20403,
        NotFound => 20404,
        MissingParameter when Is(field, "to") => 21201,
        MissingParameter when Is(field, "from") => 21213,
        InvalidPhoneNumber when Is(field, "to") => 21211,
        InvalidPhoneNumber => 21212,
        InvalidUrl => 21205,
        InvalidCallState => 21220,
        TooManyCalls => 20429,
        InternalError => 20500,
        ShuttingDown => 20503,
        _ => 90001 + IndexOf(code),
    };

    private static int IndexOf(string code)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == code)
                return i;
        }
        return All.Count;
    }

    private static bool Is(string? field, string name) => string.Equals(field, name, StringComparison.OrdinalIgnoreCase);
}
