using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>
/// One request for a voice document: POST sends <see cref="Fields"/> form-encoded in the body, GET
/// appends them to the URL's query (keeping the query it already has), as TwiML webhooks do.
/// </summary>
public sealed record DocumentRequest(Uri Url, RequestMethod Method, IReadOnlyList<KeyValuePair<string, string>> Fields);
