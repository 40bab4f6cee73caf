using System.Security.Cryptography;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class CryptoBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("crypto.md5", (a, _) => Hex(MD5.HashData(Bytes(a, 1))));
        r.Register1("crypto.sha1", (a, _) => Hex(SHA1.HashData(Bytes(a, 1))));
        r.Register1("crypto.sha256", (a, _) => Hex(SHA256.HashData(Bytes(a, 1))));
        r.Register2("crypto.hmac.md5", (m, k, _) => Hex(HMACMD5.HashData(Bytes(k, 2), Bytes(m, 1))));
        r.Register2("crypto.hmac.sha1", (m, k, _) => Hex(HMACSHA1.HashData(Bytes(k, 2), Bytes(m, 1))));
        r.Register2("crypto.hmac.sha256", (m, k, _) => Hex(HMACSHA256.HashData(Bytes(k, 2), Bytes(m, 1))));
        r.Register2("crypto.hmac.sha512", (m, k, _) => Hex(HMACSHA512.HashData(Bytes(k, 2), Bytes(m, 1))));
        r.Register2("crypto.hmac.equal", (a, b, _) =>
            RegoValue.Boolean(CryptographicOperations.FixedTimeEquals(Bytes(a, 1), Bytes(b, 2))));
    }

    private static byte[] Bytes(RegoValue v, int pos) => Encoding.UTF8.GetBytes(Operand.AsString(v, pos));

    private static RegoString Hex(byte[] b) => RegoString.Create(Convert.ToHexString(b).ToLowerInvariant());
}
