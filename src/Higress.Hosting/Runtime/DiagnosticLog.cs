using Higress.Core.Diagnostics;
using Higress.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Logs configuration errors and warnings when they appear, and once when they go away. A reload re-translates
/// everything and repeats every diagnostic; logging them all again would bury the one that changed.
/// <c>/config_dump</c> and object status still show the full current set.
/// </summary>
internal sealed partial class DiagnosticLog(ILogger logger)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<ConfigDiagnostic> _logged = [];

    /// <summary>Logs what is new in <paramref name="diagnostics"/> and what has gone since the previous call.</summary>
    public void Update(IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        lock (_lock)
        {
            var previous = _logged.ToHashSet();
            var current = diagnostics.Distinct().ToList();
            foreach (var diagnostic in current.Where(d => !previous.Contains(d)))
            {
                if (diagnostic.IsError)
                {
                    Log.ConfigError(logger, diagnostic.ToString());
                }
                else
                {
                    Log.ConfigWarning(logger, diagnostic.ToString());
                }
            }

            var now = current.ToHashSet();
            foreach (var diagnostic in _logged.Where(d => !now.Contains(d)))
            {
                Log.Resolved(logger, diagnostic.IsError ? "error" : "warning", diagnostic.ToString());
            }

            _logged = current;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ConfigError, Level = LogLevel.Error, Message = "Configuration error: {Diagnostic}")]
        public static partial void ConfigError(ILogger logger, string diagnostic);

        [LoggerMessage(EventId = EventIds.ConfigWarning, Level = LogLevel.Warning, Message = "Configuration warning: {Diagnostic}")]
        public static partial void ConfigWarning(ILogger logger, string diagnostic);

        [LoggerMessage(EventId = EventIds.DiagnosticResolved, Level = LogLevel.Information, Message = "Configuration {Severity} resolved: {Diagnostic}")]
        public static partial void Resolved(ILogger logger, string severity, string diagnostic);
    }
}
