using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Higress.Core.Plan;

namespace Higress.Hosting.UpstreamTls;

/// <summary>
/// The certificates of one <see cref="UpstreamTlsPlan"/>: the trusted roots and the client certificate. Material from
/// Secrets is parsed once; files are read when a connection is made and read again only when their write time or
/// length changed, so a rotated file is used by the next new connection while open connections keep theirs.
/// </summary>
internal sealed class UpstreamTlsMaterial(UpstreamTlsPlan plan)
{
    private readonly Lazy<X509Certificate2Collection?> _inlineRoots = new(() => plan.CaPem is { } pem ? Bundle(pem) : null);
    private readonly Lazy<SslStreamCertificateContext?> _inlineClient = new(() => plan.ClientCertificate is { } c ? ClientContext(c.CertificatePem, c.PrivateKeyPem) : null);
    private readonly CachedFile<X509Certificate2Collection> _rootsFile = new();
    private readonly CachedFile<SslStreamCertificateContext> _clientFile = new();

    /// <summary>The roots to trust, or null for the system's.</summary>
    /// <exception cref="UpstreamTlsMaterialException">A file cannot be read or parsed.</exception>
    public X509Certificate2Collection? Roots() =>
        plan.CaFile is { } file ? _rootsFile.Get([file], () => Bundle(File.ReadAllText(file))) : _inlineRoots.Value;

    /// <summary>The client certificate to present, or null.</summary>
    /// <exception cref="UpstreamTlsMaterialException">A file cannot be read or parsed.</exception>
    public SslStreamCertificateContext? ClientCertificate() =>
        plan is { ClientCertificateFile: { } certificate, PrivateKeyFile: { } key }
            ? _clientFile.Get([certificate, key], () => ClientContext(File.ReadAllText(certificate), File.ReadAllText(key)))
            : _inlineClient.Value;

    private static X509Certificate2Collection Bundle(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return roots.Count == 0 ? throw new CryptographicException("no PEM certificate in the CA bundle") : roots;
    }

    private static SslStreamCertificateContext ClientContext(string certificatePem, string keyPem)
    {
        // The leaf with its key; an ephemeral PEM key is exported and loaded again so that every platform's TLS stack can use it.
        using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        var leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certificatePem);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain)
        {
            if (certificate.Thumbprint != leaf.Thumbprint)
            {
                intermediates.Add(certificate);
            }
        }

        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    // The value loaded from files, with the stamps (write time, length) it was loaded at.
    private sealed class CachedFile<T>
        where T : class
    {
        private readonly Lock _lock = new();
        private (string Stamp, T Value)? _loaded;

        public T Get(string[] paths, Func<T> load)
        {
            lock (_lock)
            {
                try
                {
                    var stamp = string.Join('|', paths.Select(p => new FileInfo(p)).Select(f => f.Exists ? $"{f.LastWriteTimeUtc.Ticks}:{f.Length}" : "missing"));
                    if (_loaded is { } loaded && loaded.Stamp == stamp)
                    {
                        return loaded.Value;
                    }

                    var value = load();
                    _loaded = (stamp, value);
                    return value;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
                {
                    throw new UpstreamTlsMaterialException($"cannot load {string.Join(" and ", paths)}: {ex.Message}", ex);
                }
            }
        }
    }
}

/// <summary>A CA bundle or client certificate file could not be read or parsed when connecting.</summary>
internal sealed class UpstreamTlsMaterialException(string message, Exception inner) : Exception(message, inner);
