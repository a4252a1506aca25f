using System.Net;
using Dialtone.Daemon.Api;
using Dialtone.Daemon.Speech;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Sip.UserAgent;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Media;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Orchestration;

/// <summary>What every call's orchestration shares: the SIP user agent, the media engine, speech, the voice interpreter, storage and links.</summary>
public sealed class TelephonyServices
{
    public required SipUserAgent UserAgent { get; init; }

    public required MediaEngine Media { get; init; }

    public required TrunkRouter Trunks { get; init; }

    public required SpeechRenderer Speech { get; init; }

    public required MediaCache MediaCache { get; init; }

    /// <summary>Decoded audio of the cached &lt;Play&gt; files, shared across calls.</summary>
    public DecodedClipCache DecodedClips { get; } = new();

    public required VoiceInterpreter Interpreter { get; init; }

    public required RecordingStore Recordings { get; init; }

    public required ApiLinks Links { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>Hangs up answered legs whose far end stopped sending media; null when Rtp:InactivityTimeoutSeconds is 0 (off).</summary>
    public MediaInactivityMonitor? MediaInactivity { get; init; }

    /// <summary>RTP counts of the legs that have ended.</summary>
    public MediaTotals MediaTotals { get; } = new();

    /// <summary>The local address RTP sockets bind to.</summary>
    public required IPAddress RtpListenAddress { get; init; }

    /// <summary>The address put in our SDP when configured (behind NAT); else the trunk's advertised address.</summary>
    public string? AdvertisedMediaAddress { get; init; }

    /// <summary>Longest audio file a &lt;Play&gt; decodes (bounds memory per call).</summary>
    public TimeSpan MaxPlayDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Grace between a leg's answer and the first audio, so the far end's media path is open (early clipping on some trunks).</summary>
    public TimeSpan AnswerSettle { get; init; } = TimeSpan.FromMilliseconds(100);
}
