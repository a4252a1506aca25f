using Dialtone.Engine.Rtp.Packets;

namespace Dialtone.Engine.Rtp.Statistics;

/// <summary>
/// Reception statistics of one remote source, kept as RFC 3550 Appendix A prescribes: sequence number
/// validation with probation, wrap and restart detection (§A.1), loss per report interval (§A.3) and
/// interarrival jitter (§A.8). Not thread-safe: the owner serialises access.
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>Sequential packets needed before a new source is believed (§A.1 MIN_SEQUENTIAL).</summary>
    public const int MinSequential = 2;

    /// <summary>Largest forward jump still taken as loss rather than a restart (§A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Largest backward step still taken as reordering (§A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    private const uint SequenceModulo = 1 << 16;

    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _badSequence;
    private int _probation;
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private uint _lastTransit;
    private bool _hasTransit;
    private uint _jitterTimesSixteen;

    /// <summary>True once a source has been seen (even while it is still on probation).</summary>
    public bool HasSource { get; private set; }

    /// <summary>The SSRC these statistics describe.</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Valid packets received (§A.1 "received"; duplicates are counted, as the RFC does).</summary>
    public uint Received => _received;

    /// <summary>The extended highest sequence number received: cycles in the high 16 bits (§A.1).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSequence;

    /// <summary>Packets expected: extended highest minus the base sequence, plus one (§A.3).</summary>
    public uint Expected => HasSource && _probation == 0 ? ExtendedHighestSequence - _baseSequence + 1 : 0;

    /// <summary>Packets lost since reception began (§A.3); negative when duplicates outnumber losses.</summary>
    public long CumulativeLost => (long)Expected - _received;

    /// <summary>Interarrival jitter estimate in timestamp units (§A.8).</summary>
    public uint Jitter => _jitterTimesSixteen >> 4;

    /// <summary>Packets rejected by sequence validation (probation, a jump, a stray) since the source began.</summary>
    public uint Discarded { get; private set; }

    /// <summary>Forgets everything: the next packet starts a new source on probation.</summary>
    public void Reset()
    {
        HasSource = false;
        Ssrc = 0;
        _maxSequence = 0;
        _cycles = 0;
        _baseSequence = 0;
        _badSequence = 0;
        _probation = 0;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _lastTransit = 0;
        _hasTransit = false;
        _jitterTimesSixteen = 0;
        Discarded = 0;
    }

    /// <summary>
    /// Accounts for one packet of <paramref name="ssrc"/> with <paramref name="sequenceNumber"/>. A different
    /// SSRC than the one being tracked starts over (the remote restarted its stream).
    /// </summary>
    /// <returns>True when the packet is valid for the statistics (§A.1 update_seq returned 1).</returns>
    public bool UpdateSequence(uint ssrc, ushort sequenceNumber)
    {
        if (!HasSource || ssrc != Ssrc)
        {
            Reset();
            HasSource = true;
            Ssrc = ssrc;
            InitSequence(sequenceNumber);

            // §A.1: a new source is on probation until MIN_SEQUENTIAL packets arrive in order.
            _maxSequence = (ushort)(sequenceNumber - 1);
            _probation = MinSequential;
        }

        ushort delta = (ushort)(sequenceNumber - _maxSequence);
        if (_probation > 0)
        {
            if (sequenceNumber == (ushort)(_maxSequence + 1))
            {
                _probation--;
                _maxSequence = sequenceNumber;
                if (_probation == 0)
                {
                    InitSequence(sequenceNumber);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSequence = sequenceNumber;
            }

            Discarded++;
            return false;
        }

        if (delta < MaxDropout)
        {
            // In order, with a permissible gap; a smaller number after a larger one means it wrapped.
            if (sequenceNumber < _maxSequence)
            {
                _cycles += SequenceModulo;
            }

            _maxSequence = sequenceNumber;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump. Two in a row that follow each other mean the sender restarted without
            // changing SSRC; a single one is a stray to be ignored (§A.1).
            if (sequenceNumber == _badSequence)
            {
                InitSequence(sequenceNumber);
            }
            else
            {
                _badSequence = (uint)(sequenceNumber + 1) & (SequenceModulo - 1);
                Discarded++;
                return false;
            }
        }

        // Otherwise a duplicate or a reordered packet within MAX_MISORDER: counted, max unchanged.
        _received++;
        return true;
    }

    /// <summary>
    /// Updates the interarrival jitter (§A.8) with a packet's RTP timestamp and its arrival time expressed
    /// in the same timestamp units. Call only for packets whose timestamps advance with the media clock
    /// (not for RFC 4733 event packets, whose timestamp stays at the event's start).
    /// </summary>
    public void UpdateJitter(uint rtpTimestamp, uint arrivalInTimestampUnits)
    {
        uint transit = arrivalInTimestampUnits - rtpTimestamp;
        if (!_hasTransit)
        {
            _lastTransit = transit;
            _hasTransit = true;
            return;
        }

        int d = (int)(transit - _lastTransit);
        _lastTransit = transit;
        if (d < 0)
        {
            d = -d;
        }

        // §A.8 integer form: J is kept scaled by 16, J += |D| - ((J + 8) >> 4).
        _jitterTimesSixteen = (uint)(_jitterTimesSixteen + d - ((_jitterTimesSixteen + 8) >> 4));
    }

    /// <summary>
    /// Produces the report block for the interval since the previous call (§A.3): fraction lost over the
    /// interval, cumulative loss, extended highest sequence number and jitter. The LSR/DLSR fields are the
    /// caller's to fill.
    /// </summary>
    public RtcpReportBlock CreateReportBlock(uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        uint expected = Expected;
        uint expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        uint receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        long lostInterval = (long)expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        long lost = Math.Clamp(CumulativeLost, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);
        return new RtcpReportBlock(Ssrc, fraction, (int)lost, ExtendedHighestSequence, Jitter, lastSenderReport, delaySinceLastSenderReport);
    }

    private void InitSequence(ushort sequenceNumber)
    {
        _baseSequence = sequenceNumber;
        _maxSequence = sequenceNumber;
        _badSequence = SequenceModulo + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }
}
