using Dialtone.Daemon.Operations;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Puts the telephony layers' own counters on /metrics, read at scrape time: SIP messages by method
/// and status class, retransmissions, drops by reason, timeouts, auth retries, active dialogs; RTP
/// streams and packets; the speech cache.
/// </summary>
public static class TelephonyMetrics
{
    private static readonly SipMethod[] Methods = [SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Options, SipMethod.Info, SipMethod.Update, SipMethod.Prack, SipMethod.Extension];

    public static void Register(MetricsRegistry registry, TelephonyServices services)
    {
        SipSignalingCounters sip = services.UserAgent.Counters;
        registry.ObservedFamily("dialtone_sip_requests_total", "SIP requests by direction and method.", "counter", ["direction", "method"], series =>
        {
            foreach (SipMethod method in Methods)
            {
                string name = method == SipMethod.Extension ? "OTHER" : method.ToString().ToUpperInvariant();
                series.Add("in", name, sip.RequestsReceived(method));
                series.Add("out", name, sip.RequestsSent(method));
            }
        });
        registry.ObservedFamily("dialtone_sip_responses_total", "SIP responses by direction and status class.", "counter", ["direction", "class"], series =>
        {
            for (int statusClass = 1; statusClass <= 6; statusClass++)
            {
                series.Add("in", $"{statusClass}xx", sip.ResponsesReceived(statusClass));
                series.Add("out", $"{statusClass}xx", sip.ResponsesSent(statusClass));
            }
        });
        registry.ObservedFamily("dialtone_sip_dropped_total", "SIP messages dropped or refused, by reason.", "counter", ["reason"], series =>
        {
            foreach (SipDropReason reason in Enum.GetValues<SipDropReason>())
                series.Add(reason.ToString(), sip.Drops(reason));
        });
        registry.ObservedCounter("dialtone_sip_retransmissions_sent_total", "SIP retransmissions sent (timers A, E, G and 2xx).", () => sip.RetransmissionsSent);
        registry.ObservedCounter("dialtone_sip_retransmissions_received_total", "Retransmitted SIP messages absorbed.", () => sip.RetransmissionsReceived);
        registry.ObservedCounter("dialtone_sip_transaction_timeouts_total", "SIP transactions that timed out (timers B, F, H).", () => sip.TransactionTimeouts);
        registry.ObservedCounter("dialtone_sip_auth_retries_total", "Requests re-sent with digest credentials.", () => sip.AuthRetries);
        registry.ObservedGauge("dialtone_sip_dialogs", "SIP dialogs in progress.", () => sip.ActiveDialogs);
        registry.ObservedGauge("dialtone_sip_calls", "SIP calls in progress (all legs).", () => sip.ActiveCalls);

        registry.ObservedGauge("dialtone_rtp_streams", "RTP streams open.", () => services.Media.StreamCount);
        registry.ObservedCounter("dialtone_rtp_packets_sent_total", "RTP packets sent by legs that have ended.", () => services.MediaTotals.PacketsSent);
        registry.ObservedCounter("dialtone_rtp_packets_received_total", "RTP packets received by legs that have ended.", () => services.MediaTotals.PacketsReceived);
        registry.ObservedCounter("dialtone_rtp_packets_lost_total", "RTP packets lost (RFC 3550 A.3) on legs that have ended.", () => services.MediaTotals.PacketsLost);
        registry.ObservedCounter("dialtone_media_timeouts_total", "Answered legs hung up because the far end sent no RTP or RTCP for Rtp:InactivityTimeoutSeconds.", () => services.MediaInactivity?.Timeouts ?? 0);

        registry.ObservedCounter("dialtone_speech_cache_hits_total", "Say renders served from the speech cache.", () => services.Speech.CacheStatistics.Hits);
        registry.ObservedCounter("dialtone_speech_cache_misses_total", "Say renders that ran espeak-ng.", () => services.Speech.CacheStatistics.Misses);
        registry.ObservedGauge("dialtone_speech_cache_bytes", "Bytes of 8 kHz audio in the speech cache.", () => services.Speech.CacheStatistics.Bytes);
        registry.ObservedCounter("dialtone_play_cache_hits_total", "Play files served from the media cache (fresh or revalidated).", () => services.MediaCache.Statistics.Hits + services.MediaCache.Statistics.Revalidations);
        registry.ObservedCounter("dialtone_play_cache_downloads_total", "Play files downloaded (one per file, however many calls share it).", () => services.MediaCache.Statistics.Misses);
        registry.ObservedCounter("dialtone_play_cache_joined_total", "Plays that joined a download already under way.", () => services.MediaCache.Statistics.Joined);
        registry.ObservedGauge("dialtone_play_cache_bytes", "Bytes of Play files in the media cache.", () => services.MediaCache.Statistics.Bytes);
        registry.ObservedCounter("dialtone_play_clips_decoded_total", "Cached Play files decoded to 8 kHz audio (once per file, shared by every call).", () => services.DecodedClips.Decodes);
    }
}
