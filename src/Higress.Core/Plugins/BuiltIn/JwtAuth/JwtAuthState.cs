namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// One jwt-auth instance's long-lived state: a verifier per consumer, and the fetched key sets (one per distinct
/// <c>jwks_uri</c>), released with the instance.
/// </summary>
internal sealed class JwtAuthState : IDisposable
{
    public JwtAuthState(JwtVerifier[] verifiers, RemoteJwks[] remoteKeySets)
    {
        Verifiers = verifiers;
        RemoteKeySets = remoteKeySets;
    }

    /// <summary>The consumers, in config order (the seed's anonymous issuer last).</summary>
    public JwtVerifier[] Verifiers { get; }

    /// <summary>The key sets fetched from <c>jwks_uri</c>s.</summary>
    public RemoteJwks[] RemoteKeySets { get; }

    public void Dispose()
    {
        foreach (var keySet in RemoteKeySets)
        {
            keySet.Dispose();
        }
    }
}
