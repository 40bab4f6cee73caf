namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>A consumer's name with its resolved credential (inline or from a Secret); never printed.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="Value">The credential (an API key, <c>user:password</c>, or an HMAC secret).</param>
/// <param name="Index">Its position in <c>consumers</c>, for errors found later.</param>
internal readonly record struct ConsumerCredential(string Name, string Value, int Index)
{
    /// <summary>The consumer's name only: a credential must not reach a log or an exception message.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
