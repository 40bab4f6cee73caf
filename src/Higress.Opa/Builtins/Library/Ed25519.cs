using System.Numerics;
using System.Security.Cryptography;

namespace Higress.Opa.Builtins.Library;

/// <summary>Ed25519 (RFC 8032) signing and verification on BigInteger arithmetic (.NET has no built-in EdDSA).</summary>
internal static class Ed25519
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger D = Mod(-121665 * Inv(121666));
    private static readonly BigInteger D2 = Mod(2 * D);
    private static readonly BigInteger SqrtM1 = BigInteger.ModPow(2, (P - 1) / 4, P);
    private static readonly Point B = BasePoint();

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    private static BigInteger Mod(BigInteger a)
    {
        var r = a % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static BigInteger Inv(BigInteger a) => BigInteger.ModPow(Mod(a), P - 2, P);

    private static Point BasePoint()
    {
        var y = Mod(4 * Inv(5));
        var x = RecoverX(y, false) ?? throw new InvalidOperationException("bad base point");
        return new Point(x, y, 1, Mod(x * y));
    }

    private static BigInteger? RecoverX(BigInteger y, bool sign)
    {
        if (y >= P)
        {
            return null;
        }
        var xx = Mod((y * y - 1) * Inv(D * y * y + 1));
        if (xx.IsZero)
        {
            return sign ? null : BigInteger.Zero;
        }
        var x = BigInteger.ModPow(xx, (P + 3) / 8, P);
        if (Mod(x * x - xx) != 0)
        {
            x = Mod(x * SqrtM1);
        }
        if (Mod(x * x - xx) != 0)
        {
            return null;
        }
        if (x.IsEven == sign)
        {
            x = P - x;
        }
        return x;
    }

    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(p.T * D2 * q.T);
        var d = Mod(p.Z * 2 * q.Z);
        var e = b - a;
        var f = d - c;
        var g = d + c;
        var h = b + a;
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static Point Mul(BigInteger s, Point p)
    {
        var q = new Point(0, 1, 1, 0);
        while (s > 0)
        {
            if (!s.IsEven)
            {
                q = Add(q, p);
            }
            p = Add(p, p);
            s >>= 1;
        }
        return q;
    }

    private static byte[] Encode(Point p)
    {
        var zi = Inv(p.Z);
        var x = Mod(p.X * zi);
        var y = Mod(p.Y * zi);
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        if (!x.IsEven)
        {
            bytes[31] |= 0x80;
        }
        return bytes;
    }

    private static Point? Decode(ReadOnlySpan<byte> s)
    {
        if (s.Length != 32)
        {
            return null;
        }
        var copy = s.ToArray();
        bool sign = (copy[31] & 0x80) != 0;
        copy[31] &= 0x7f;
        var y = new BigInteger(copy, isUnsigned: true, isBigEndian: false);
        var x = RecoverX(y, sign);
        return x is null ? null : new Point(x.Value, y, 1, Mod(x.Value * y));
    }

    private static BigInteger HashInt(params byte[][] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        foreach (var part in parts)
        {
            sha.AppendData(part);
        }
        return new BigInteger(sha.GetHashAndReset(), isUnsigned: true, isBigEndian: false);
    }

    private static (BigInteger A, byte[] Prefix) Expand(byte[] seed)
    {
        var h = SHA512.HashData(seed);
        var a = h[..32];
        a[0] &= 248;
        a[31] &= 127;
        a[31] |= 64;
        return (new BigInteger(a, isUnsigned: true, isBigEndian: false), h[32..]);
    }

    public static byte[] PublicKey(byte[] seed) => Encode(Mul(Expand(seed).A, B));

    public static byte[] Sign(byte[] seed, byte[] message)
    {
        var (a, prefix) = Expand(seed);
        var pub = Encode(Mul(a, B));
        var r = HashInt(prefix, message) % L;
        var rEnc = Encode(Mul(r, B));
        var k = HashInt(rEnc, pub, message) % L;
        var s = (r + k * a) % L;
        var sBytes = new byte[32];
        s.TryWriteBytes(sBytes, out _, isUnsigned: true, isBigEndian: false);
        return [.. rEnc, .. sBytes];
    }

    public static bool Verify(byte[] publicKey, byte[] message, byte[] signature)
    {
        if (signature.Length != 64 || publicKey.Length != 32)
        {
            return false;
        }
        var a = Decode(publicKey);
        var r = Decode(signature.AsSpan(0, 32));
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: false);
        if (a is null || r is null || s >= L)
        {
            return false;
        }
        var k = HashInt(signature[..32], publicKey, message) % L;
        var left = Encode(Mul(s, B));
        var right = Encode(Add(r.Value, Mul(k, a.Value)));
        return left.AsSpan().SequenceEqual(right);
    }
}
