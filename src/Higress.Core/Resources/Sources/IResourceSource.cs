using Microsoft.Extensions.Primitives;

namespace Higress.Core.Resources.Sources;

/// <summary>
/// Somewhere objects come from: a directory, appsettings, code, Kubernetes. A source only fetches; it never
/// validates references or merges. Implementations must be thread-safe.
/// </summary>
public interface IResourceSource
{
    /// <summary>The source's name, used in origins and diagnostics (e.g. <c>directory</c>, <c>appsettings</c>).</summary>
    string Name { get; }

    /// <summary>The objects and diagnostics of the last complete read; replaced atomically on reload.</summary>
    SourceContent Current { get; }

    /// <summary>A token that fires once after <see cref="Current"/> changes; take a new one after it fires.</summary>
    IChangeToken GetChangeToken();

    /// <summary>
    /// True once <see cref="Current"/> holds everything the source serves (a cluster source: every kind listed once);
    /// <c>/readyz</c> waits for it. Sources that read synchronously are always synced.
    /// </summary>
    bool HasSynced => true;
}
