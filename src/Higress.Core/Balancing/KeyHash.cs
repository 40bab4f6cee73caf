using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Higress.Core.Balancing;

/// <summary>
/// The one hash of consistent hashing, for keys and destination names alike: XxHash64 over the UTF-16 code units, which
/// is fast, well mixed and stable across processes (so that two gateway replicas agree on where a key goes).
/// </summary>
internal static class KeyHash
{
    public static ulong Of(ReadOnlySpan<char> key) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(key));

    public static ulong Of(ReadOnlySpan<char> key, long seed) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(key), seed);
}
