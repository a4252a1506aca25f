using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Parsing;

/// <summary>
/// Streams verbs out of a didML/TwiML document: each call to <see cref="ReadAsync"/> returns the
/// next verb as soon as its end tag has arrived, so the first &lt;Say&gt; can start while the rest of
/// the document is still on the wire. Element and attribute names are matched case-insensitively;
/// unknown verbs are skipped with a warning; attribute values are validated with clear errors.
/// </summary>
/// <remarks>
/// Hostile input is bounded: DTDs are prohibited (no entity expansion, so no billion laughs and no
/// external entities), no resolver is set (nothing is ever fetched from the document), and size,
/// depth, verb count and text length are checked as the bytes arrive (<see cref="VoiceDocumentLimits"/>).
/// Every failure is a <see cref="VoiceAppException"/> with a stable code.
/// </remarks>
public sealed class VoiceDocumentReader : IDisposable
{
    private readonly ReadForwardingStream _stream;
    private readonly bool _synchronous;
    private readonly XmlReader _xml;
    private readonly IXmlLineInfo? _lineInfo;
    private readonly VoiceDocumentLimits _limits;
    private readonly Action<VoiceDiagnostic>? _onWarning;
    private readonly List<VoiceDiagnostic> _warnings = [];
    private readonly StringBuilder _text = new();
    private ReaderState _state;
    private VoiceAppException? _failure;
    private int _verbCount;

    /// <param name="body">The document bytes (usually the HTTP response stream); disposed with the reader.</param>
    /// <param name="baseUri">The document's URL, for relative action/redirect/play URLs; null for inline documents.</param>
    /// <param name="limits">Bounds; <see cref="VoiceDocumentLimits.Default"/> when null.</param>
    /// <param name="onWarning">Called for each warning as it happens (also kept in <see cref="Warnings"/>).</param>
    public VoiceDocumentReader(Stream body, Uri? baseUri = null, VoiceDocumentLimits? limits = null, Action<VoiceDiagnostic>? onWarning = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        _limits = limits ?? VoiceDocumentLimits.Default;
        _onWarning = onWarning;
        BaseUri = baseUri;
        _stream = new ReadForwardingStream(body, _limits.MaxDocumentBytes);
        // A document already in memory (inline TwiML, a small response read whole) is read
        // synchronously: nothing can block, and an async XmlReader allocates 64 KB byte and char
        // buffers (about 190 KB, the char buffer on the large object heap) for every document,
        // which a call then holds for as long as it runs.
        _synchronous = body is MemoryStream;
        var settings = new XmlReaderSettings
        {
            Async = !_synchronous,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            // Characters never outnumber UTF-8 bytes, so this only matters for non-byte-limited
            // inputs; entities cannot expand (no DTD), the cap is a second lock on that door.
            MaxCharactersInDocument = _limits.MaxDocumentBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        _xml = XmlReader.Create(_stream, settings);
        _lineInfo = _xml as IXmlLineInfo;
    }

    /// <summary>Reads a document held in memory (inline TwiML, tests).</summary>
    public static VoiceDocumentReader FromString(string document, Uri? baseUri = null, VoiceDocumentLimits? limits = null, Action<VoiceDiagnostic>? onWarning = null) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(document), writable: false), baseUri, limits, onWarning);

    /// <summary>Parses a whole in-memory document into its verbs.</summary>
    public static async Task<IReadOnlyList<VoiceVerb>> ParseAsync(string document, Uri? baseUri = null, VoiceDocumentLimits? limits = null, CancellationToken cancellationToken = default)
    {
        using var reader = FromString(document, baseUri, limits);
        var verbs = new List<VoiceVerb>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } verb)
            verbs.Add(verb);
        return verbs;
    }

    /// <summary>The URL relative URLs in this document resolve against.</summary>
    public Uri? BaseUri { get; }

    /// <summary>Warnings so far (unknown verbs skipped, unsupported options).</summary>
    public IReadOnlyList<VoiceDiagnostic> Warnings => _warnings;

    /// <summary>Whether the whole body is already in memory, so that reading never waits for the network.</summary>
    public bool IsInMemory => _synchronous;

    /// <summary>Bytes of the body read so far.</summary>
    public long BytesRead => _stream.BytesRead;

    /// <summary>Returns the next verb once its element is complete, or null at the end of the document.</summary>
    /// <exception cref="VoiceAppException">The document is malformed, too large, or has an invalid verb.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<VoiceVerb?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
            throw _failure;
        if (_state == ReaderState.Ended)
            return null;
        cancellationToken.ThrowIfCancellationRequested();
        _stream.ReadToken = cancellationToken;
        try
        {
            if (_state == ReaderState.Start && !await ReadRootAsync().ConfigureAwait(false))
                return null;
            while (await ReadXmlAsync().ConfigureAwait(false))
            {
                switch (_xml.NodeType)
                {
                    case XmlNodeType.Element:
                        var verb = await ReadVerbAsync(parent: null).ConfigureAwait(false);
                        if (verb is not null)
                            return verb;
                        break;
                    case XmlNodeType.EndElement:
                        // The end of <Response>: whatever follows is not ours to read.
                        _state = ReaderState.Ended;
                        return null;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        Warn("text directly inside <Response> is ignored");
                        break;
                }
            }
            throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, "the document ended before </Response>");
        }
        catch (XmlException ex)
        {
            var message = _stream.BytesRead == 0 ? "the document is empty" : $"line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}";
            throw Fail(new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, message, ex));
        }
        catch (VoiceAppException ex)
        {
            throw Fail(ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw Fail(new VoiceAppException(VoiceAppErrorCode.FetchFailed,
                $"the connection failed while reading the document: {ex.Message}", ex));
        }
        finally
        {
            _stream.ReadToken = default;
        }
    }

    /// <summary>All remaining verbs, each as soon as it is complete.</summary>
    public async IAsyncEnumerable<VoiceVerb> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } verb)
            yield return verb;
    }

    public void Dispose()
    {
        _state = ReaderState.Ended;
        _xml.Dispose();
    }

    private VoiceAppException Fail(VoiceAppException ex)
    {
        _failure = ex;
        return ex;
    }

    private ValueTask<bool> ReadXmlAsync() => _synchronous ? new ValueTask<bool>(_xml.Read()) : new ValueTask<bool>(_xml.ReadAsync());

    private async ValueTask<bool> ReadRootAsync()
    {
        while (await ReadXmlAsync().ConfigureAwait(false))
        {
            if (_xml.NodeType != XmlNodeType.Element)
                continue;
            if (!_xml.LocalName.Equals("Response", StringComparison.OrdinalIgnoreCase))
                throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument,
                    $"line {Line}: the root element must be <Response>, not <{VerbAttributes.Shorten(_xml.LocalName)}>");
            if (_xml.IsEmptyElement)
            {
                _state = ReaderState.Ended;
                return false;
            }
            _state = ReaderState.InResponse;
            return true;
        }
        throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, "the document is empty");
    }

    private int Line => _lineInfo?.LineNumber ?? 0;

    private int Position => _lineInfo?.LinePosition ?? 0;

    private void Warn(string message)
    {
        var diagnostic = new VoiceDiagnostic(message, Line, Position);
        _warnings.Add(diagnostic);
        _onWarning?.Invoke(diagnostic);
    }

    private void CheckDepth()
    {
        // XmlReader.Depth counts the root as 0; the limit counts it as 1.
        if (_xml.Depth + 1 > _limits.MaxDepth)
            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {Line}: elements are nested deeper than {_limits.MaxDepth} levels");
    }

    /// <summary>Reads the verb whose start tag is the current node; null when it was unknown and skipped.</summary>
    private async ValueTask<VoiceVerb?> ReadVerbAsync(VerbKind? parent)
    {
        CheckDepth();
        if (++_verbCount > _limits.MaxVerbs)
            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {Line}: the document has more than {_limits.MaxVerbs} verbs");
        var name = _xml.LocalName;
        var line = Line;
        if (!TryGetKind(name, out var kind, out var isForward))
        {
            Warn(parent is null ? $"unknown verb <{VerbAttributes.Shorten(name)}> skipped" : $"unknown verb <{VerbAttributes.Shorten(name)}> in <Gather> skipped");
            await SkipElementAsync().ConfigureAwait(false);
            return null;
        }
        if (parent == VerbKind.Gather && kind is not (VerbKind.Say or VerbKind.Play or VerbKind.Pause))
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {line}: <{name}> cannot be nested in <Gather> (only Say, Play and Pause can)");

        var attributes = ReadAttributes(name, line);
        VoiceVerb verb = kind switch
        {
            VerbKind.Say => await ReadSayAsync(attributes).ConfigureAwait(false),
            VerbKind.Play => await ReadPlayAsync(attributes, parent).ConfigureAwait(false),
            VerbKind.Pause => await ReadPauseAsync(attributes).ConfigureAwait(false),
            VerbKind.Gather => await ReadGatherAsync(attributes).ConfigureAwait(false),
            VerbKind.Dial => await ReadDialAsync(attributes, isForward).ConfigureAwait(false),
            VerbKind.Record => await ReadRecordAsync(attributes).ConfigureAwait(false),
            VerbKind.Recording => await ReadRecordingAsync(attributes).ConfigureAwait(false),
            VerbKind.Redirect => await ReadRedirectAsync(attributes).ConfigureAwait(false),
            VerbKind.Hangup => await ReadEmptyVerbAsync(attributes, new HangupVerb()).ConfigureAwait(false),
            VerbKind.Reject => await ReadRejectAsync(attributes).ConfigureAwait(false),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return verb with { Line = line };
    }

    private static bool TryGetKind(string name, out VerbKind kind, out bool isForward)
    {
        isForward = false;
        if (name.Equals("Forward", StringComparison.OrdinalIgnoreCase))
        {
            // didML's name for Dial.
            isForward = true;
            kind = VerbKind.Dial;
            return true;
        }
        foreach (var candidate in Kinds)
        {
            if (name.Equals(candidate.Name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate.Kind;
                return true;
            }
        }
        kind = default;
        return false;
    }

    private static readonly (string Name, VerbKind Kind)[] Kinds =
    [
        ("Say", VerbKind.Say), ("Play", VerbKind.Play), ("Pause", VerbKind.Pause), ("Gather", VerbKind.Gather),
        ("Dial", VerbKind.Dial), ("Record", VerbKind.Record), ("Recording", VerbKind.Recording),
        ("Redirect", VerbKind.Redirect), ("Hangup", VerbKind.Hangup), ("Reject", VerbKind.Reject),
    ];

    private VerbAttributes ReadAttributes(string element, int line)
    {
        var attributes = new VerbAttributes(element, line);
        if (_xml.MoveToFirstAttribute())
        {
            do
            {
                if (_xml.Prefix == "xmlns" || _xml.LocalName == "xmlns")
                    continue;
                attributes.Add(_xml.LocalName, _xml.Value);
            }
            while (_xml.MoveToNextAttribute());
            _xml.MoveToElement();
        }
        return attributes;
    }

    /// <summary>Skips the current element and everything in it, still enforcing the depth limit.</summary>
    private async ValueTask SkipElementAsync()
    {
        if (_xml.IsEmptyElement)
            return;
        var depth = _xml.Depth;
        while (await ReadXmlAsync().ConfigureAwait(false))
        {
            if (_xml.NodeType == XmlNodeType.Element)
                CheckDepth();
            else if (_xml.NodeType == XmlNodeType.EndElement && _xml.Depth == depth)
                return;
        }
    }

    /// <summary>
    /// Reads the text inside the current element up to its end tag. With <paramref name="flattenChildren"/>
    /// (Say's SSML) child elements contribute their text; otherwise they are skipped with a warning.
    /// Whitespace runs become one space, so "8 9 70" stays three tokens.
    /// </summary>
    private async ValueTask<string> ReadTextAsync(VerbAttributes owner, bool flattenChildren)
    {
        _text.Clear();
        if (_xml.IsEmptyElement)
            return string.Empty;
        var depth = _xml.Depth;
        while (await ReadXmlAsync().ConfigureAwait(false))
        {
            switch (_xml.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    AppendText(owner, _xml.Value);
                    break;
                case XmlNodeType.Element:
                    CheckDepth();
                    if (flattenChildren)
                    {
                        // SSML (<break>, <prosody>, <say-as>...) becomes its text with word breaks around it.
                        AppendText(owner, " ");
                    }
                    else
                    {
                        Warn($"<{VerbAttributes.Shorten(_xml.LocalName)}> inside <{owner.Element}> is ignored");
                        await SkipElementAsync().ConfigureAwait(false);
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (_xml.Depth == depth)
                        return CollapseWhitespace();
                    AppendText(owner, " ");
                    break;
            }
        }
        throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, $"line {Line}: the document ended inside <{owner.Element}>");
    }

    private void AppendText(VerbAttributes owner, string value)
    {
        if (_text.Length + value.Length > _limits.MaxTextLength)
            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {owner.Line}: the text of <{owner.Element}> is longer than {_limits.MaxTextLength} characters");
        _text.Append(value);
    }

    private string CollapseWhitespace()
    {
        var result = new StringBuilder(_text.Length);
        var pendingSpace = false;
        for (var i = 0; i < _text.Length; i++)
        {
            var c = _text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace)
                result.Append(' ');
            pendingSpace = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private async ValueTask<VoiceVerb> ReadSayAsync(VerbAttributes a)
    {
        var say = new SayVerb(string.Empty)
        {
            Voice = a.GetToken("voice"),
            Language = a.GetToken("language"),
            Loop = a.GetLoop(),
        };
        var text = await ReadTextAsync(a, flattenChildren: true).ConfigureAwait(false);
        if (text.Length == 0)
            Warn("<Say> has no text");
        return say with { Text = text };
    }

    private async ValueTask<VoiceVerb> ReadPlayAsync(VerbAttributes a, VerbKind? parent)
    {
        var loop = a.GetLoop();
        var digits = a.GetDigits("digits", _limits.MaxDigits);
        var text = await ReadTextAsync(a, flattenChildren: false).ConfigureAwait(false);
        if (digits is not null)
        {
            // Twilio: "you can't play digits within a <Gather>".
            if (parent == VerbKind.Gather)
                throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {a.Line}: <Play digits> cannot be nested in <Gather>");
            return new PlayVerb { Digits = digits, Loop = loop };
        }
        if (text.Length == 0)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {a.Line}: <Play> needs a URL or a digits attribute");
        return new PlayVerb { Url = VerbAttributes.ResolveUrl(text, BaseUri, "<Play>", a.Line), Loop = loop };
    }

    private async ValueTask<VoiceVerb> ReadPauseAsync(VerbAttributes a)
    {
        // Twilio: "length: integer > 0, default 1 second"; 0 is accepted as "no pause".
        var pause = new PauseVerb(a.GetSeconds("length", TimeSpan.FromSeconds(1), 0, 3600));
        return await ReadEmptyVerbAsync(a, pause).ConfigureAwait(false);
    }

    private async ValueTask<VoiceVerb> ReadEmptyVerbAsync(VerbAttributes a, VoiceVerb verb)
    {
        var text = await ReadTextAsync(a, flattenChildren: false).ConfigureAwait(false);
        if (text.Length > 0)
            Warn($"text inside <{a.Element}> is ignored");
        return verb;
    }

    private async ValueTask<VoiceVerb> ReadGatherAsync(VerbAttributes a)
    {
        var input = ParseInput(a);
        var gather = new GatherVerb
        {
            Input = input,
            NumDigits = a.GetOptionalInt("numDigits", 1, 128),
            Timeout = a.GetSeconds("timeout", TimeSpan.FromSeconds(5), 0, 600),
            FinishOnKey = a.GetFinishOnKey("#", singleKey: true),
            Action = a.GetUrl("action", BaseUri),
            Method = a.GetMethod(),
            ActionOnEmptyResult = a.GetBool("actionOnEmptyResult", false),
        };
        if (_xml.IsEmptyElement)
            return gather;
        var prompts = new List<VoiceVerb>();
        var depth = _xml.Depth;
        while (await ReadXmlAsync().ConfigureAwait(false))
        {
            switch (_xml.NodeType)
            {
                case XmlNodeType.Element:
                    var nested = await ReadVerbAsync(VerbKind.Gather).ConfigureAwait(false);
                    if (nested is null)
                        break;
                    if (prompts.Count == _limits.MaxNestedVerbs)
                        throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {a.Line}: <Gather> has more than {_limits.MaxNestedVerbs} nested verbs");
                    prompts.Add(nested);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    Warn("text directly inside <Gather> is ignored (wrap it in <Say>)");
                    break;
                case XmlNodeType.EndElement when _xml.Depth == depth:
                    return gather with { Prompts = prompts };
            }
        }
        throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, $"line {Line}: the document ended inside <Gather>");
    }

    private GatherInput ParseInput(VerbAttributes a)
    {
        var raw = a.Get("input");
        if (raw is null)
            return GatherInput.Dtmf;
        GatherInput input = 0;
        foreach (var part in raw.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("dtmf", StringComparison.OrdinalIgnoreCase))
                input |= GatherInput.Dtmf;
            else if (part.Equals("speech", StringComparison.OrdinalIgnoreCase))
                input |= GatherInput.Speech;
            else
                throw a.Invalid("input", raw, "must be dtmf, speech or \"dtmf speech\"");
        }
        if (input == 0)
            throw a.Invalid("input", raw, "must be dtmf, speech or \"dtmf speech\"");
        if ((input & GatherInput.Speech) != 0)
            Warn("<Gather input=\"speech\"> is not supported; only DTMF digits are collected");
        return input;
    }

    private async ValueTask<VoiceVerb> ReadDialAsync(VerbAttributes a, bool isForward)
    {
        var dial = new DialVerb([])
        {
            CallerId = a.GetText("callerId", 128),
            Timeout = a.GetSeconds("timeout", TimeSpan.FromSeconds(30), 1, 600),
            TimeLimit = a.GetSeconds("timeLimit", TimeSpan.FromHours(4), 1, 86400),
            Action = a.GetUrl("action", BaseUri),
            Method = a.GetMethod(),
            Record = ParseDialRecord(a),
            Trim = a.GetTrim(TrimMode.TrimSilence),
            HangupOnStar = a.GetBool("hangupOnStar", false),
            RecordingStatusCallback = a.GetUrl("recordingStatusCallback", BaseUri),
            RecordingStatusCallbackMethod = a.GetMethod("recordingStatusCallbackMethod"),
            WrittenAsForward = isForward,
        };
        var targets = new List<DialTarget>();
        if (!_xml.IsEmptyElement)
        {
            var depth = _xml.Depth;
            var ended = false;
            var directText = new StringBuilder();
            while (!ended && await ReadXmlAsync().ConfigureAwait(false))
            {
                switch (_xml.NodeType)
                {
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (directText.Length + _xml.Value.Length > _limits.MaxTextLength)
                            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {a.Line}: the text of <{a.Element}> is longer than {_limits.MaxTextLength} characters");
                        directText.Append(_xml.Value);
                        break;
                    case XmlNodeType.Element:
                        CheckDepth();
                        var target = await ReadDialNounAsync().ConfigureAwait(false);
                        if (target is null)
                            break;
                        if (targets.Count == _limits.MaxDialTargets)
                            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"line {a.Line}: <{a.Element}> has more than {_limits.MaxDialTargets} numbers");
                        targets.Add(target);
                        break;
                    case XmlNodeType.EndElement when _xml.Depth == depth:
                        ended = true;
                        break;
                }
            }
            if (!ended)
                throw new VoiceAppException(VoiceAppErrorCode.UnparseableDocument, $"line {Line}: the document ended inside <{a.Element}>");
            var text = directText.ToString().Trim();
            if (text.Length > 0)
            {
                if (targets.Count > 0)
                    throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {a.Line}: <{a.Element}> has both a number as text and <Number>/<Sip> children");
                targets.Add(ParseDialAddress(text, a.Element, a.Line));
            }
        }
        if (targets.Count == 0)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {a.Line}: <{a.Element}> has no number to dial");
        return dial with { Targets = targets };
    }

    private async ValueTask<DialTarget?> ReadDialNounAsync()
    {
        var name = _xml.LocalName;
        var line = Line;
        var isNumber = name.Equals("Number", StringComparison.OrdinalIgnoreCase);
        var isSip = name.Equals("Sip", StringComparison.OrdinalIgnoreCase);
        if (!isNumber && !isSip)
        {
            Warn($"<{VerbAttributes.Shorten(name)}> in <Dial> is not supported and is skipped");
            await SkipElementAsync().ConfigureAwait(false);
            return null;
        }
        var a = ReadAttributes(name, line);
        var sendDigits = a.GetDigits("sendDigits", _limits.MaxDigits);
        var url = a.GetUrl("url", BaseUri);
        var method = a.GetMethod();
        var username = a.GetText("username", 128);
        var password = a.GetText("password", 128);
        var text = await ReadTextAsync(a, flattenChildren: false).ConfigureAwait(false);
        if (text.Length == 0)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {line}: <{name}> is empty");
        var target = isSip ? ParseSip(text, name, line) : ParseNumber(text, name, line);
        return target with { SendDigits = sendDigits, Url = url, Method = method, Username = username, Password = password };
    }

    private static DialTarget ParseDialAddress(string text, string element, int line) =>
        text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)
            ? ParseSip(text, element, line)
            : ParseNumber(text, element, line);

    /// <summary>
    /// A telephone number, E.164 or as people write it ("(415) 555-1212", which Twilio accepts):
    /// formatting characters are dropped, leaving an optional '+' and digits.
    /// </summary>
    private static DialTarget ParseNumber(string text, string element, int line)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) || (c == '+' && digits.Length == 0))
                digits.Append(c);
            else if (c is not (' ' or '(' or ')' or '-' or '.'))
                throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {line}: <{element}>: '{VerbAttributes.Shorten(text)}' is not a phone number");
        }
        var count = digits.Length - (digits.Length > 0 && digits[0] == '+' ? 1 : 0);
        if (count is < 1 or > 20)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {line}: <{element}>: '{VerbAttributes.Shorten(text)}' is not a phone number");
        return new DialTarget(DialTargetKind.Number, digits.ToString());
    }

    private static DialTarget ParseSip(string text, string element, int line)
    {
        var ok = (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
                 && text.Length <= 512 && text.IndexOf(':') < text.Length - 1;
        foreach (var c in text)
            ok &= c > ' ' && c < 0x7f;
        if (!ok)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {line}: <{element}>: '{VerbAttributes.Shorten(text)}' is not a sip: URI");
        return new DialTarget(DialTargetKind.Sip, text);
    }

    private static DialRecordMode ParseDialRecord(VerbAttributes a)
    {
        var raw = a.Get("record");
        if (raw is null)
            return DialRecordMode.DoNotRecord;
        return raw.Trim().ToLowerInvariant() switch
        {
            "do-not-record" or "false" => DialRecordMode.DoNotRecord,
            "record-from-answer" or "true" => DialRecordMode.RecordFromAnswer,
            "record-from-ringing" => DialRecordMode.RecordFromRinging,
            "record-from-answer-dual" => DialRecordMode.RecordFromAnswerDual,
            "record-from-ringing-dual" => DialRecordMode.RecordFromRingingDual,
            _ => throw a.Invalid("record", raw, "must be do-not-record, record-from-answer, record-from-ringing, record-from-answer-dual, record-from-ringing-dual, true or false"),
        };
    }

    private async ValueTask<VoiceVerb> ReadRecordAsync(VerbAttributes a)
    {
        var record = new RecordVerb
        {
            MaxLength = a.GetSeconds("maxLength", TimeSpan.FromHours(1), 1, 14400),
            Timeout = a.GetSeconds("timeout", TimeSpan.FromSeconds(5), 0, 600),
            FinishOnKey = a.GetFinishOnKey("1234567890*#", singleKey: false),
            PlayBeep = a.GetBool("playBeep", true),
            Action = a.GetUrl("action", BaseUri),
            Method = a.GetMethod(),
            Trim = a.GetTrim(TrimMode.TrimSilence),
            RecordingStatusCallback = a.GetUrl("recordingStatusCallback", BaseUri),
            RecordingStatusCallbackMethod = a.GetMethod("recordingStatusCallbackMethod"),
        };
        if (a.Get("transcribe") is { } transcribe && a.GetBool("transcribe", false))
            Warn($"<Record transcribe=\"{transcribe}\"> is not supported; the recording is not transcribed");
        return await ReadEmptyVerbAsync(a, record).ConfigureAwait(false);
    }

    private async ValueTask<VoiceVerb> ReadRecordingAsync(VerbAttributes a)
    {
        var recording = new RecordingVerb
        {
            Trim = a.GetTrim(TrimMode.DoNotTrim),
            RecordingStatusCallback = a.GetUrl("recordingStatusCallback", BaseUri),
            RecordingStatusCallbackMethod = a.GetMethod("recordingStatusCallbackMethod"),
        };
        return await ReadEmptyVerbAsync(a, recording).ConfigureAwait(false);
    }

    private async ValueTask<VoiceVerb> ReadRedirectAsync(VerbAttributes a)
    {
        var method = a.GetMethod();
        var text = await ReadTextAsync(a, flattenChildren: false).ConfigureAwait(false);
        if (text.Length == 0)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidVerb, $"line {a.Line}: <Redirect> has no URL");
        return new RedirectVerb(VerbAttributes.ResolveUrl(text, BaseUri, "<Redirect>", a.Line)) { Method = method };
    }

    private async ValueTask<VoiceVerb> ReadRejectAsync(VerbAttributes a)
    {
        var raw = a.Get("reason");
        var reason = raw?.Trim().ToLowerInvariant() switch
        {
            null or "rejected" => RejectReason.Rejected,
            "busy" => RejectReason.Busy,
            _ => throw a.Invalid("reason", raw, "must be rejected or busy"),
        };
        return await ReadEmptyVerbAsync(a, new RejectVerb(reason)).ConfigureAwait(false);
    }

    private enum ReaderState
    {
        Start,
        InResponse,
        Ended,
    }
}
