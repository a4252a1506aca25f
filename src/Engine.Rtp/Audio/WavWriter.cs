using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Writes a RIFF/WAVE file: 16-bit PCM, µ-law or A-law, any channel count and rate (8 kHz mono or
/// two-channel for call recordings).
/// </summary>
/// <remarks>
/// The header is written first with the sizes unknown and patched by <see cref="UpdateHeader"/>
/// and on <see cref="Dispose"/>. Calling <see cref="UpdateHeader"/> now and then bounds what a
/// crash can cost: the file stays a valid WAV of everything up to the last update, and readers that
/// trust the data to the end of the file (this engine's included) recover the rest. On a stream
/// that cannot seek, the sizes stay 0xFFFFFFFF ("unknown"), the streaming convention. Not thread-safe.
/// </remarks>
public sealed class WavWriter : IDisposable
{
    private const int PcmHeaderSize = 44;
    private const int CompandedHeaderSize = 58; // fmt chunk with cbSize, plus a fact chunk (required for non-PCM formats)
    private const int ScratchSamples = 2048;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _headerStart;
    private readonly byte[] _scratch;
    private long _dataBytes;
    private bool _disposed;

    /// <summary>Starts a WAV file on <paramref name="stream"/> and writes its header.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not 1 to 16 or the rate is not positive.</exception>
    /// <exception cref="ArgumentException">The stream cannot be written.</exception>
    public WavWriter(Stream stream, int channels = 1, WavEncoding encoding = WavEncoding.Pcm16, int sampleRate = PcmResampler.OutputRate, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, PcmResampler.MaxChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Channels = channels;
        Encoding = encoding;
        SampleRate = sampleRate;
        _scratch = new byte[ScratchSamples * BytesPerSample];
        _headerStart = stream.CanSeek ? stream.Position : 0;
        Span<byte> header = stackalloc byte[HeaderSize];
        FillHeader(header, unknownSizes: true);
        _stream.Write(header);
    }

    /// <summary>The number of channels.</summary>
    public int Channels { get; }

    /// <summary>How samples are stored.</summary>
    public WavEncoding Encoding { get; }

    /// <summary>The sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Sample frames written (one sample per channel each).</summary>
    public long FramesWritten => _dataBytes / (BytesPerSample * Channels);

    /// <summary>The length of the audio written so far.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(FramesWritten * TimeSpan.TicksPerSecond / SampleRate);

    private int BytesPerSample => Encoding == WavEncoding.Pcm16 ? 2 : 1;

    private int HeaderSize => Encoding == WavEncoding.Pcm16 ? PcmHeaderSize : CompandedHeaderSize;

    /// <summary>Appends interleaved samples (whole frames).</summary>
    /// <exception cref="ArgumentException">The samples are not whole frames.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (samples.Length % Channels != 0)
        {
            throw new ArgumentException($"Samples must come in whole frames of {Channels}.", nameof(samples));
        }

        while (!samples.IsEmpty)
        {
            ReadOnlySpan<short> chunk = samples[..Math.Min(samples.Length, ScratchSamples)];
            Span<byte> bytes = _scratch.AsSpan(0, chunk.Length * BytesPerSample);
            switch (Encoding)
            {
                case WavEncoding.MuLaw:
                    MuLaw.Encode(chunk, bytes);
                    break;
                case WavEncoding.ALaw:
                    ALaw.Encode(chunk, bytes);
                    break;
                default:
                    LinearPcm.WriteLittleEndian16(chunk, bytes);
                    break;
            }

            _stream.Write(bytes);
            _dataBytes += bytes.Length;
            samples = samples[chunk.Length..];
        }
    }

    /// <summary>Writes the current sizes into the header (when the stream can seek) and flushes the stream.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void UpdateHeader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PatchHeader();
        _stream.Flush();
    }

    /// <summary>Pads the data to an even length (RIFF chunks are word-aligned), patches the header and closes the stream unless told to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if ((_dataBytes & 1) != 0)
            {
                _stream.WriteByte(0);
            }

            PatchHeader();
            _stream.Flush();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private void PatchHeader()
    {
        if (!_stream.CanSeek)
        {
            return;
        }

        long end = _stream.Position;
        Span<byte> header = stackalloc byte[HeaderSize];
        FillHeader(header, unknownSizes: false);
        _stream.Position = _headerStart;
        _stream.Write(header);
        _stream.Position = end;
    }

    private void FillHeader(Span<byte> header, bool unknownSizes)
    {
        int blockAlign = BytesPerSample * Channels;
        bool pcm = Encoding == WavEncoding.Pcm16;
        long padded = _dataBytes + (_dataBytes & 1);
        uint riffSize = unknownSizes ? uint.MaxValue : (uint)Math.Min(uint.MaxValue, HeaderSize - 8 + padded);
        uint dataSize = unknownSizes ? uint.MaxValue : (uint)Math.Min(uint.MaxValue, _dataBytes);

        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], riffSize);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], pcm ? 16u : 18u);
        ushort tag = Encoding switch
        {
            WavEncoding.MuLaw => 7,
            WavEncoding.ALaw => 6,
            _ => 1,
        };
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(BytesPerSample * 8));
        int next = 36;
        if (!pcm)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0); // cbSize: no extension
            "fact"u8.CopyTo(header[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header[46..], unknownSizes ? uint.MaxValue : (uint)Math.Min(uint.MaxValue, FramesWritten));
            next = 50;
        }

        "data"u8.CopyTo(header[next..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(next + 4)..], dataSize);
    }
}
