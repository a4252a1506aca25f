using System.Buffers;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Properties;

/// <summary>
/// Runs every reader of the message layer over arbitrary bytes: both framings, the stream framer
/// (one segment and many), every typed view on every header it applies to, the validator, and a
/// response built from the result. Shared by the property tests and the fuzzing harness.
/// Throws <see cref="InvalidOperationException"/> when an invariant breaks; anything else thrown
/// is a bug by itself.
/// </summary>
internal static class SipMessageExerciser
{
    private static readonly SipMessageValidator s_validator = new(new SipValidatorOptions { SupportedOptionTags = ["timer", "100rel"] });

    public static int Exercise(byte[] data)
    {
        int sum = 0;
        var message = new SipMessage();
        foreach (SipFraming framing in (ReadOnlySpan<SipFraming>)[SipFraming.Datagram, SipFraming.Stream])
        {
            SipParseResult result = message.Parse(data, framing);
            sum += result.Reason.Length;
            if (!result.IsSuccess)
            {
                Check(result.Offset >= 0 && result.Offset <= data.Length, "error offset out of range");
                Check(!message.IsParsed && message.HeaderCount == 0, "failed parse left state behind");
                continue;
            }
            sum += ExerciseParsed(message, data);
        }
        sum += ExerciseFramer(data);
        return sum;
    }

    private static int ExerciseParsed(SipMessage m, byte[] data)
    {
        int sum = 0;
        Check(m.Length <= data.Length && m.BodyOffset <= m.Length, "message bounds");
        Check(m.ContentLength < 0 || m.ContentLength == m.Body.Length, "content length vs body");
        foreach (ref readonly SipHeader h in m.Headers)
        {
            Check(h.NameOffset >= 0 && h.NameOffset + h.NameLength <= m.BodyOffset, "name bounds");
            Check(h.ValueOffset >= h.NameOffset + h.NameLength && h.ValueOffset + h.ValueLength <= m.BodyOffset, "value bounds");
            Check(SipHeaderNames.Lookup(m.GetName(h)) == h.Id, "header id");
            sum += m.GetLine(h).Length;
        }

        if (m.IsRequest)
        {
            sum += ExerciseUri(m.RequestUri);
            sum += s_validator.ValidateRequest(m).StatusCode;
        }
        else
        {
            sum += s_validator.ValidateResponse(m).Drop ? 1 : 0;
        }

        foreach (ReadOnlySpan<byte> v in m.GetValues(SipHeaderId.Via))
        {
            if (SipVia.TryParse(v, out SipVia via))
                sum += via.Branch.Length + via.Host.Length + via.Port + via.RPort + via.Ttl + via.Received.Length + via.Parameters.Count;
        }
        foreach (SipHeaderId id in (ReadOnlySpan<SipHeaderId>)[SipHeaderId.From, SipHeaderId.To, SipHeaderId.Contact, SipHeaderId.Route,
            SipHeaderId.RecordRoute, SipHeaderId.ReferTo, SipHeaderId.PAssertedIdentity, SipHeaderId.ReplyTo, SipHeaderId.Path])
        {
            foreach (ReadOnlySpan<byte> v in m.GetValues(id))
                sum += ExerciseAddress(v);
        }
        foreach (SipHeader h in m.GetHeaders(SipHeaderId.CSeq))
        {
            if (SipCSeq.TryParse(m.GetValue(h), out SipCSeq c))
                sum += (int)c.Number + c.MethodName.Length;
        }
        foreach (SipHeader h in m.GetHeaders(SipHeaderId.RAck))
        {
            if (SipRAck.TryParse(m.GetValue(h), out SipRAck r))
                sum += (int)r.ResponseNumber;
        }
        foreach (SipHeaderId id in (ReadOnlySpan<SipHeaderId>)[SipHeaderId.SessionExpires, SipHeaderId.MinSE])
        {
            foreach (SipHeader h in m.GetHeaders(id))
            {
                if (SipSessionExpires.TryParse(m.GetValue(h), out var se))
                    sum += (int)se.DeltaSeconds + se.Refresher.Length;
            }
        }
        foreach (SipHeader h in m.GetHeaders(SipHeaderId.RetryAfter))
        {
            if (SipRetryAfter.TryParse(m.GetValue(h), out var ra) && ra.TryGetDuration(out uint d))
                sum += (int)d + ra.Comment.Length;
        }
        foreach (ReadOnlySpan<byte> v in m.GetValues(SipHeaderId.ContentType))
        {
            if (SipContentType.TryParse(v, out var ct))
                sum += ct.Type.Length + ct.Parameters.Count + (ct.IsSdp ? 1 : 0);
        }
        foreach (SipHeaderId id in (ReadOnlySpan<SipHeaderId>)[SipHeaderId.WwwAuthenticate, SipHeaderId.ProxyAuthenticate,
            SipHeaderId.Authorization, SipHeaderId.ProxyAuthorization])
        {
            foreach (SipHeader h in m.GetHeaders(id))
                sum += ExerciseAuthentication(m.GetValue(h));
        }
        foreach (SipHeader h in m.GetHeaders(SipHeaderId.MaxForwards))
            sum += SipHeaderValues.TryParseMaxForwards(m.GetValue(h), out int hops) ? hops : 0;
        foreach (SipHeaderId id in (ReadOnlySpan<SipHeaderId>)[SipHeaderId.Expires, SipHeaderId.RSeq, SipHeaderId.MinExpires])
        {
            foreach (SipHeader h in m.GetHeaders(id))
                sum += SipHeaderValues.TryParseDeltaSeconds(m.GetValue(h), out uint s) ? (int)s : 0;
        }
        sum += SipHeaderValues.ContainsToken(m, SipHeaderId.Supported, "timer"u8) ? 1 : 0;

        // A response built by copying this message's headers must itself parse.
        if (m.IsRequest)
        {
            var output = new ArrayBufferWriter<byte>();
            var w = new SipMessageWriter(output);
            w.WriteResponseTo(m, 400, "x1"u8, copyRecordRoute: true);
            w.WriteEmptyBody();
            w.Flush();
            var response = new SipMessage(m.MaxHeaders + 8);
            SipParseResult r = response.Parse(output.WrittenMemory, SipFraming.Stream);
            Check(r.IsSuccess, "a response copied from a parsed request did not parse: " + r);
            Check(response.Count(SipHeaderId.Via) == m.Count(SipHeaderId.Via), "copied Via count");
        }
        return sum;
    }

    private static int ExerciseAddress(ReadOnlySpan<byte> value)
    {
        if (!SipNameAddress.TryParse(value, out SipNameAddress a, allowWildcard: true))
            return 0;
        int sum = a.Tag.Length + a.DisplayName.Length + (a.IsWildcard ? 1 : 0);
        Span<byte> buffer = stackalloc byte[128];
        if (a.TryGetDisplayName(buffer, out int n))
            sum += n;
        if (a.TryGetQ(out int q))
            sum += q;
        if (a.TryGetExpires(out uint e))
            sum += (int)e;
        foreach (SipParameter p in a.Parameters)
            sum += p.Name.Length + p.Value.Length;
        if (!a.IsWildcard)
            sum += ExerciseUri(a.UriText);
        return sum;
    }

    private static int ExerciseUri(ReadOnlySpan<byte> text)
    {
        if (!SipUri.TryParse(text, out SipUri u))
            return 0;
        if (!u.EqualsUri(u))
            throw new InvalidOperationException("a URI must equal itself: " + System.Text.Encoding.UTF8.GetString(text));
        int sum = u.User.Length + u.Host.Length + u.Port + u.Headers.Length + u.Transport.Length + (u.IsLooseRouting ? 1 : 0);
        foreach (SipParameter p in u.Parameters)
            sum += p.Name.Length + p.Value.Length;
        return sum;
    }

    private static int ExerciseAuthentication(ReadOnlySpan<byte> value)
    {
        if (!SipAuthenticationHeader.TryParse(value, out var a))
            return 0;
        Span<byte> buffer = stackalloc byte[64];
        int sum = a.Scheme.Length + a.Realm.Length + a.Nonce.Length + a.Opaque.Length + a.Algorithm.Length + a.Username.Length
            + a.Uri.Length + a.Response.Length + a.CNonce.Length + a.NonceCount.Length + (a.IsStale ? 1 : 0) + (a.QopContains("auth"u8) ? 1 : 0);
        if (SipAuthenticationHeader.TryUnquote(a.Realm, buffer, out int n))
            sum += n;
        return sum;
    }

    private static int ExerciseFramer(byte[] data)
    {
        int sum = 0;
        using var framer = new SipStreamFramer(4096);
        foreach (int chunk in (ReadOnlySpan<int>)[0, 3])
        {
            framer.Reset();
            ReadOnlySequence<byte> buffer = chunk == 0 ? new ReadOnlySequence<byte>(data) : Chunked(data, chunk);
            // Walk the stream as a transport would, until it needs data or fails.
            for (int guard = 0; guard < 10_000 && !buffer.IsEmpty; guard++)
            {
                SipFrame frame = framer.Read(buffer);
                if (frame.Status is SipFrameStatus.NeedMoreData or SipFrameStatus.Error)
                    break;
                Check(frame.Length > 0 && frame.Length <= buffer.Length, "frame length out of range");
                sum += frame.Length;
                buffer = buffer.Slice(frame.Length);
            }
        }
        return sum;
    }

    private static ReadOnlySequence<byte> Chunked(byte[] bytes, int size)
    {
        if (bytes.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        for (int i = 0; i < bytes.Length; i += size)
        {
            last = new Segment(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), last);
            first ??= last;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
            throw new InvalidOperationException(what);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
