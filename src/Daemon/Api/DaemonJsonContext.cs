using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dialtone.Daemon.Api;

/// <summary>
/// Source-generated JSON metadata for every body the API writes (native AOT cannot serialize by
/// reflection). snake_case, as Twilio's API and its client libraries expect.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CallResource))]
[JsonSerializable(typeof(CallListPage))]
[JsonSerializable(typeof(TwilioCallResource))]
[JsonSerializable(typeof(TwilioCallListPage))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(TwilioError))]
[JsonSerializable(typeof(HealthReply))]
[JsonSerializable(typeof(VersionReply))]
[JsonSerializable(typeof(ReadinessReply))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The instance the API writes with: numbers and URLs as they are (<c>+1949...</c>, not <c>\u002B1949...</c>),
    /// as Twilio writes them. Safe: these bodies are application/json, never embedded in HTML.
    /// </summary>
    public static DaemonJsonContext Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
