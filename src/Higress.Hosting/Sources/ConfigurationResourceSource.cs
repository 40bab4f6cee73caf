using Higress.Core.Diagnostics;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>
/// Reads the objects the <c>Higress</c> configuration section declares (<c>Resources</c> and the shorthand
/// <c>Backends</c> and <c>Routes</c>, see <see cref="ConfigurationResources"/>) and reloads when the configuration does.
/// </summary>
internal sealed partial class ConfigurationResourceSource : IResourceSource, IDisposable
{
    private readonly IConfiguration _higress;
    private readonly ILogger _logger;
    private readonly ChangeSignal _signal = new();
    private readonly IDisposable _subscription;
    private readonly Lock _lock = new();
    private SourceContent _current = SourceContent.Empty;

    /// <param name="higress">The <c>Higress</c> section.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="logger">Where changes are logged.</param>
    public ConfigurationResourceSource(IConfiguration higress, string name = "appsettings", ILogger? logger = null)
    {
        _higress = higress;
        _logger = logger ?? NullLogger.Instance;
        Name = name;
        Reload();
        _subscription = ChangeToken.OnChange(higress.GetReloadToken, Reload);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SourceContent Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => _signal.GetToken();

    public void Reload()
    {
        lock (_lock)
        {
            var result = ConfigurationResources.Read(_higress, Name);
            var content = new SourceContent([.. result.Resources], [.. result.Diagnostics]);
            if (content == _current)
            {
                return;
            }

            Volatile.Write(ref _current, content);
            Log.Reloaded(_logger, Name, content.Resources.Count, content.Diagnostics.Count(d => d.IsError));
        }

        _signal.Fire();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _signal.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ConfigurationRead, Level = LogLevel.Information, Message = "Read {Count} objects from {Source} (Resources, Backends, Routes; {Errors} errors)")]
        public static partial void Reloaded(ILogger logger, string source, int count, int errors);
    }
}
