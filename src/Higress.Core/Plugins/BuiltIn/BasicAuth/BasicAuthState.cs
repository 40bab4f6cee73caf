using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Higress.Core.Plugins.BuiltIn.BasicAuth;

/// <summary>
/// The users of one <c>basic-auth</c> instance: a user name finds the SHA-256 of its password and its consumer.
/// Passwords are compared as hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken
/// says nothing about how much of a guess was right.
/// </summary>
internal sealed class BasicAuthState
{
    private readonly FrozenDictionary<string, (byte[] PasswordHash, string Consumer)> _users;

    // Compared against when the user is unknown, so that an unknown user costs what a wrong password costs.
    private static readonly byte[] NoPasswordHash = SHA256.HashData("\0"u8);

    public BasicAuthState(IEnumerable<(string User, string Password, string Consumer)> users) =>
        _users = users.ToFrozenDictionary(u => u.User, u => (SHA256.HashData(Encoding.UTF8.GetBytes(u.Password)), u.Consumer), StringComparer.Ordinal);

    /// <summary>The consumer whose user name and password these are, or null.</summary>
    public string? Find(ReadOnlySpan<char> user, ReadOnlySpan<char> password)
    {
        var known = _users.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(user, out var entry);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetByteCount(password);
        var buffer = bytes <= 256 ? stackalloc byte[bytes] : new byte[bytes];
        Encoding.UTF8.GetBytes(password, buffer);
        SHA256.HashData(buffer, hash);
        var match = CryptographicOperations.FixedTimeEquals(hash, known ? entry.PasswordHash : NoPasswordHash);
        return known && match ? entry.Consumer : null;
    }
}
