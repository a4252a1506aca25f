using Dialtone.Engine.Dtmf.Rfc4733;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Dtmf;

/// <summary>
/// The DTMF side of one call's stream: sends digit strings as RFC 4733 events on it, and reports the
/// digits that arrive, whether as RFC 4733 events, as SIP INFO (application/dtmf-relay, handed over by
/// the SIP layer) or as in-band tones (from a detector on the received audio).
/// </summary>
/// <remarks>
/// Plugs a <see cref="DtmfSender"/> and a <see cref="DtmfReceiver"/> into the stream's telephone-event
/// hooks. In-band digits are ignored once the stream has carried RFC 4733 events, since a gateway that
/// sends events usually leaves the tones in the audio as well and each key would otherwise count twice.
/// </remarks>
public sealed class DtmfChannel : IDisposable
{
    private readonly DtmfSender _sender;
    private readonly DtmfReceiver _receiver;
    private volatile bool _sawTelephoneEvents;
    private bool _disposed;

    /// <summary>Attaches to <paramref name="stream"/> (replacing any other telephone-event hooks on it).</summary>
    public DtmfChannel(RtpStream stream, DtmfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
        _sender = new DtmfSender(options);
        _receiver = new DtmfReceiver(stream.Engine.TimeProvider, options);
        _receiver.DigitReceived += digit =>
        {
            _sawTelephoneEvents = true;
            DigitReceived?.Invoke(digit);
        };
        _receiver.DigitCompleted += digit => DigitCompleted?.Invoke(digit);
        stream.TelephoneEventSource = _sender;
        stream.TelephoneEventListener = _receiver;
    }

    /// <summary>A digit, once, as soon as it is known (at the first RFC 4733 packet of its event).</summary>
    public event Action<DtmfDigit>? DigitReceived;

    /// <summary>The same digit, once, when it ended, with its full duration.</summary>
    public event Action<DtmfDigit>? DigitCompleted;

    /// <summary>The stream the digits travel on.</summary>
    public RtpStream Stream { get; }

    /// <summary>True while digits are queued or being sent.</summary>
    public bool IsSending => _sender.IsSending;

    /// <summary>RFC 4733 packets that carried no usable digit.</summary>
    public long IgnoredPackets => _receiver.IgnoredPackets;

    /// <summary>
    /// Sends <paramref name="digits"/> (0-9 * # A-D, w = 0.5 s, W = 1 s) as RFC 4733 events, after any
    /// strings already queued. Completes when the last digit has been sent and its gap has passed.
    /// </summary>
    /// <exception cref="ArgumentException">The string is empty or has a character outside the set.</exception>
    /// <exception cref="InvalidOperationException">The remote did not negotiate telephone-event.</exception>
    public Task SendDigitsAsync(string digits, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DtmfDigits.Validate(digits, nameof(digits));
        if (Stream.TelephoneEventPayloadType < 0)
        {
            throw new InvalidOperationException("The remote did not offer telephone-event (RFC 4733), so digits cannot be sent on this stream.");
        }

        return _sender.SendAsync(digits, cancellationToken);
    }

    /// <summary>Cancels queued digits; a digit being sent is ended properly first.</summary>
    public void CancelDigits() => _sender.Cancel();

    /// <summary>
    /// Reports a digit that arrived as SIP INFO (application/dtmf-relay: <c>Signal=</c> and <c>Duration=</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="digit"/> is not 0-9 * # A-D, or the duration is negative.</exception>
    public void ReceiveInfoDigit(char digit, int durationMilliseconds) =>
        ReportOutOfBand(digit, durationMilliseconds, DtmfSource.SipInfo);

    /// <summary>Reports a digit an in-band detector heard in the received audio.</summary>
    /// <returns>False when it was ignored because the stream carries RFC 4733 events.</returns>
    public bool ReceiveInBandDigit(char digit, int durationMilliseconds)
    {
        if (_sawTelephoneEvents)
        {
            return false;
        }

        ReportOutOfBand(digit, durationMilliseconds, DtmfSource.InBand);
        return true;
    }

    /// <summary>Detaches from the stream and cancels queued digits.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _sender.Cancel();
        if (ReferenceEquals(Stream.TelephoneEventSource, _sender))
        {
            Stream.TelephoneEventSource = null;
        }

        if (ReferenceEquals(Stream.TelephoneEventListener, _receiver))
        {
            Stream.TelephoneEventListener = null;
        }

        _receiver.Dispose();
    }

    private void ReportOutOfBand(char digit, int durationMilliseconds, DtmfSource source)
    {
        if (!DtmfDigits.TryGetEventCode(digit, out byte code))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF digit (0-9 * # A-D).", nameof(digit));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(durationMilliseconds);
        DtmfDigits.TryGetDigit(code, out char normalized);
        var received = new DtmfDigit(normalized, TimeSpan.FromMilliseconds(durationMilliseconds), source);
        DigitReceived?.Invoke(received);
        DigitCompleted?.Invoke(received);
    }
}
