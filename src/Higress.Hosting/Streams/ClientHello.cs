using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Higress.Hosting.Streams;

/// <summary>
/// Reads the server name (SNI) from the first bytes of a TLS connection, without terminating TLS: the ClientHello
/// handshake message, possibly spread over several TLS records (RFC 8446 §4.1.2, RFC 6066 §3).
/// </summary>
internal static class ClientHello
{
    /// <summary>The largest ClientHello read (the records holding it); a bigger one is treated as invalid.</summary>
    public const int MaxBytes = 64 * 1024;

    private const byte HandshakeRecord = 0x16;
    private const byte ClientHelloType = 0x01;
    private const ushort ServerNameExtension = 0x0000;

    /// <summary>What the bytes read so far say.</summary>
    public enum Outcome
    {
        /// <summary>More bytes are needed.</summary>
        Incomplete,

        /// <summary>Not a TLS ClientHello.</summary>
        Invalid,

        /// <summary>A complete ClientHello; the server name is in the out parameter (null when it carries none).</summary>
        Complete,
    }

    /// <summary>Parses <paramref name="buffer"/>, the connection's first bytes.</summary>
    public static Outcome TryRead(ReadOnlySequence<byte> buffer, out string? serverName)
    {
        serverName = null;
        var handshake = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            if (reader.Remaining < 5)
            {
                return buffer.Length > MaxBytes ? Outcome.Invalid : Outcome.Incomplete;
            }

            reader.TryRead(out var type);
            reader.TryReadBigEndian(out short _);
            reader.TryReadBigEndian(out short length);
            if (type != HandshakeRecord || length <= 0)
            {
                return Outcome.Invalid;
            }

            if (reader.Remaining < (ushort)length)
            {
                return buffer.Length > MaxBytes ? Outcome.Invalid : Outcome.Incomplete;
            }

            var payload = reader.UnreadSequence.Slice(0, (ushort)length);
            foreach (var segment in payload)
            {
                handshake.Write(segment.Span);
            }

            reader.Advance((ushort)length);
            var written = handshake.WrittenSpan;
            if (written.Length >= 4)
            {
                if (written[0] != ClientHelloType)
                {
                    return Outcome.Invalid;
                }

                var bodyLength = (written[1] << 16) | (written[2] << 8) | written[3];
                if (written.Length >= 4 + bodyLength)
                {
                    return ParseBody(written.Slice(4, bodyLength), out serverName) ? Outcome.Complete : Outcome.Invalid;
                }
            }
        }
    }

    private static bool ParseBody(ReadOnlySpan<byte> body, out string? serverName)
    {
        serverName = null;

        // client_version (2), random (32), session_id <0..32>, cipher_suites <2..2^16-2>, compression_methods <1..2^8-1>.
        var at = 2 + 32;
        if (!Skip(body, ref at, 1) || !Skip(body, ref at, 2) || !Skip(body, ref at, 1))
        {
            return false;
        }

        if (at == body.Length)
        {
            return true;
        }

        if (at + 2 > body.Length)
        {
            return false;
        }

        var end = at + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        at += 2;
        if (end > body.Length)
        {
            return false;
        }

        while (at + 4 <= end)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2)..]);
            at += 4;
            if (at + length > end)
            {
                return false;
            }

            if (type == ServerNameExtension)
            {
                serverName = HostName(body.Slice(at, length));
                return true;
            }

            at += length;
        }

        return true;
    }

    // server_name_list: a 2-byte length, then entries of name_type (0 = host_name), a 2-byte length and the name.
    private static string? HostName(ReadOnlySpan<byte> extension)
    {
        var at = 2;
        while (at + 3 <= extension.Length)
        {
            var nameType = extension[at];
            var length = BinaryPrimitives.ReadUInt16BigEndian(extension[(at + 1)..]);
            at += 3;
            if (at + length > extension.Length)
            {
                return null;
            }

            if (nameType == 0)
            {
                return Encoding.ASCII.GetString(extension.Slice(at, length)).TrimEnd('.');
            }

            at += length;
        }

        return null;
    }

    // Skips a vector whose length prefix is lengthBytes (1 or 2) long.
    private static bool Skip(ReadOnlySpan<byte> body, ref int at, int lengthBytes)
    {
        if (at + lengthBytes > body.Length)
        {
            return false;
        }

        var length = lengthBytes == 1 ? body[at] : BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        at += lengthBytes + length;
        return at <= body.Length;
    }
}
