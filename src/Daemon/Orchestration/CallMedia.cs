using System.Net;
using System.Threading.Channels;
using Dialtone.Engine.Dtmf;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// The media side of one call leg: its RTP stream, its DTMF channel, the digits the far end
/// pressed, and awaitable playback. Everything the voice application asks of the audio goes
/// through here; the SIP side only hands over the negotiated remote address and codec.
/// </summary>
public sealed class CallMedia : IDisposable
{
    /// <summary>Digits kept while nobody reads them (a Gather reads them; keys pressed long before are dropped first).</summary>
    private const int DigitBacklog = 64;

    private readonly Channel<char> _digits = Channel.CreateBounded<char>(new BoundedChannelOptions(DigitBacklog)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });
    private int _disposed;

    private readonly MediaTotals? _totals;

    public CallMedia(RtpStream stream, MediaTotals? totals = null, DtmfOptions? dtmfOptions = null)
    {
        Stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _totals = totals;
        Dtmf = new DtmfChannel(stream, dtmfOptions);
        Dtmf.DigitReceived += OnDigit;
    }

    /// <summary>The leg's RTP stream (open; its remote is set once the answer's SDP is known).</summary>
    public RtpStream Stream { get; }

    /// <summary>RFC 4733 (and SIP INFO / in-band) digits in and out.</summary>
    public DtmfChannel Dtmf { get; }

    /// <summary>Raised for every digit the far end pressed, on a media or SIP thread.</summary>
    public event Action<char>? DigitPressed;

    /// <summary>Points the stream at the far end's media address and codec from its SDP.</summary>
    public void Connect(IPEndPoint remote, AudioPayloadType payloadType, int telephoneEventPayloadType, int packetTimeMilliseconds) =>
        Stream.SetRemote(remote, payloadType, telephoneEventPayloadType, packetTimeMilliseconds);

    /// <summary>
    /// Plays <paramref name="source"/> to its end. Cancelling stops it at the next slot and throws
    /// <see cref="OperationCanceledException"/>; the source is disposed either way.
    /// </summary>
    public async ValueTask PlayAsync(IAudioSource source, CancellationToken cancellationToken)
    {
        using (source)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task<PlaybackResult> playing = Stream.Play(source);
            PlaybackResult result;
            await using (cancellationToken.Register(static s => ((RtpStream)s!).StopPlayback(), Stream).ConfigureAwait(false))
                result = await playing.ConfigureAwait(false);
            if (result == PlaybackResult.Stopped)
                cancellationToken.ThrowIfCancellationRequested();
            if (result == PlaybackResult.Closed)
                throw new OperationCanceledException("The call's media stream closed during playback.");
        }
    }

    /// <summary>Sends digits (with w/W pauses) as RFC 4733 events; audio pauses meanwhile.</summary>
    public async ValueTask SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(static s => ((DtmfChannel)s!).CancelDigits(), Dtmf).ConfigureAwait(false))
            await Dtmf.SendDigitsAsync(digits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets digits pressed so far.</summary>
    public void ClearDigits()
    {
        while (_digits.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Waits for the next digit pressed.</summary>
    public ValueTask<char> ReadDigitAsync(CancellationToken cancellationToken) => _digits.Reader.ReadAsync(cancellationToken);

    /// <summary>A digit that arrived in a SIP INFO (application/dtmf-relay).</summary>
    public void OnInfoDigit(char digit, int durationMilliseconds) => Dtmf.ReceiveInfoDigit(digit, durationMilliseconds);

    private void OnDigit(DtmfDigit digit)
    {
        _digits.Writer.TryWrite(digit.Digit);
        DigitPressed?.Invoke(digit.Digit);
    }

    /// <summary>Closes the stream (RTCP BYE, ports released) and fails pending digit reads.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Dtmf.DigitReceived -= OnDigit;
        _digits.Writer.TryComplete();
        Dtmf.Dispose();
        Stream.Close();
        _totals?.Add(Stream.GetStatistics());
    }
}
