using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>Objects declared in code with a <see cref="ResourceBuilder"/>; <see cref="Update"/> replaces them at run time.</summary>
public sealed class CodeResourceSource : IResourceSource, IDisposable
{
    private readonly ChangeSignal _signal = new();
    private SourceContent _current = SourceContent.Empty;

    /// <summary>Creates a source from <paramref name="configure"/>.</summary>
    /// <param name="configure">Declares the objects.</param>
    /// <param name="name">The source's name (default <c>code</c>).</param>
    public CodeResourceSource(Action<ResourceBuilder>? configure = null, string name = "code")
    {
        Name = name;
        if (configure is not null)
        {
            _current = Build(configure);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SourceContent Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => _signal.GetToken();

    /// <summary>Replaces every object of this source with those <paramref name="configure"/> declares.</summary>
    /// <param name="configure">Declares the objects.</param>
    public void Update(Action<ResourceBuilder> configure)
    {
        Volatile.Write(ref _current, Build(configure));
        _signal.Fire();
    }

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    private SourceContent Build(Action<ResourceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ResourceBuilder { SourceName = Name };
        configure(builder);
        var (resources, diagnostics) = builder.Build();
        var validation = resources.SelectMany(ResourceValidator.Validate).ToList();
        var invalid = validation.Where(d => d.IsError).Select(d => d.Object).ToHashSet(StringComparer.Ordinal);
        return new SourceContent([.. resources.Where(r => !invalid.Contains(r.Display))], [.. diagnostics, .. validation]);
    }
}
