using System.Buffers;
using System.IO.Pipelines;

namespace Higress.Hosting.FastPath;

/// <summary>
/// Decodes a chunked response body (RFC 9112 section 7.1) into the client's body, refusing what is not exact: a chunk
/// size that is not hex or overflows, a size line or trailer that is too long or has a bare CR or LF, chunk data not
/// followed by CRLF. Chunk extensions are allowed and dropped; trailers are read and dropped (Kestrel sends none
/// over HTTP/1.1, as with YARP).
/// </summary>
internal sealed class ChunkedDecoder
{
    private const int MaxLineLength = 4096;
    private const int MaxTrailerLength = 64 * 1024;

    private State _state;
    private long _remaining;
    private int _trailerLength;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    public bool IsDone => _state == State.Done;

    /// <summary>Decodes what <paramref name="buffer"/> holds; returns how far it got and whether it wrote data.</summary>
    public SequencePosition Decode(ReadOnlySequence<byte> buffer, PipeWriter output, out bool wrote)
    {
        wrote = false;
        var reader = new SequenceReader<byte>(buffer);
        while (_state != State.Done)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryReadLine(ref reader, out var sizeLine))
                    {
                        return reader.Position;
                    }

                    _remaining = ParseSize(sizeLine);
                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    break;

                case State.Data:
                    if (reader.Remaining == 0)
                    {
                        return reader.Position;
                    }

                    var take = (int)Math.Min(_remaining, Math.Min(reader.Remaining, int.MaxValue));
                    foreach (var segment in reader.UnreadSequence.Slice(0, take))
                    {
                        output.Write(segment.Span);
                    }

                    reader.Advance(take);
                    _remaining -= take;
                    wrote = true;
                    if (_remaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    break;

                case State.DataEnd:
                    if (reader.Remaining < 2)
                    {
                        return reader.Position;
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        throw new UpstreamProtocolException("the upstream's chunked response has chunk data not followed by CRLF");
                    }

                    _state = State.Size;
                    break;

                case State.Trailer:
                    if (!TryReadLine(ref reader, out var trailer))
                    {
                        return reader.Position;
                    }

                    _trailerLength += (int)trailer.Length + 2;
                    if (_trailerLength > MaxTrailerLength)
                    {
                        throw new UpstreamProtocolException("the upstream's chunked response has trailers longer than 64 KiB");
                    }

                    if (trailer.Length == 0)
                    {
                        _state = State.Done;
                    }

                    break;
            }
        }

        return reader.Position;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, "\r\n"u8, advancePastDelimiter: true))
        {
            if (reader.Remaining > MaxLineLength)
            {
                throw new UpstreamProtocolException("the upstream's chunked response has a line longer than 4 KiB");
            }

            return false;
        }

        if (line.Length > MaxLineLength)
        {
            throw new UpstreamProtocolException("the upstream's chunked response has a line longer than 4 KiB");
        }

        if (line.PositionOf((byte)'\r') is not null || line.PositionOf((byte)'\n') is not null)
        {
            throw new UpstreamProtocolException("the upstream's chunked response has a bare CR or LF");
        }

        return true;
    }

    // chunk-size [ BWS ";" chunk-ext ]: 1 to 16 hex digits whose value fits in a long.
    private static long ParseSize(ReadOnlySequence<byte> line)
    {
        Span<byte> bytes = stackalloc byte[MaxLineLength];
        line.CopyTo(bytes);
        var span = bytes[..(int)line.Length];
        long size = 0;
        var digits = 0;
        while (digits < span.Length && char.IsAsciiHexDigit((char)span[digits]))
        {
            if (size > (long.MaxValue >> 4))
            {
                throw new UpstreamProtocolException("the upstream's chunked response has a chunk size that overflows");
            }

            size = (size << 4) | (long)HexValue(span[digits]);
            digits++;
        }

        if (digits == 0)
        {
            throw new UpstreamProtocolException("the upstream's chunked response has an invalid chunk size");
        }

        var rest = span[digits..].TrimStart(" \t"u8);
        if (rest.Length > 0 && rest[0] != (byte)';')
        {
            throw new UpstreamProtocolException("the upstream's chunked response has an invalid chunk size");
        }

        foreach (var b in rest)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                throw new UpstreamProtocolException("the upstream's chunked response has a control character in a chunk extension");
            }
        }

        return size;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
