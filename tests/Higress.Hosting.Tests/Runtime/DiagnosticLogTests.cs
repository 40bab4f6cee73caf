using Higress.Core.Resources;
using Higress.Hosting.Runtime;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Runtime;

public class DiagnosticLogTests
{
    private static readonly ConfigDiagnostic UnknownField = new(DiagnosticSeverity.Warning, "Route default/a", "spec.http[0].matchh", "unknown field 'matchh' (ignored)", "did you mean 'match'?", "routes.yaml#1");
    private static readonly ConfigDiagnostic UnknownKind = new(DiagnosticSeverity.Warning, "routes.yaml#2", "kind", "v1 ConfigMap is not a kind Higress.Net reads; ignored", null, "routes.yaml#2");
    private static readonly ConfigDiagnostic BadRegex = new(DiagnosticSeverity.Error, "Route default/b", "spec.http[0].match[0].uri.regex", "'(' is unclosed", "fix the regular expression", "routes.yaml#3");

    [Fact]
    public void Applying_the_same_diagnostics_twice_logs_them_once()
    {
        var logger = new CapturingLogger();
        var log = new DiagnosticLog(logger);

        log.Update([UnknownField, UnknownKind, BadRegex]);
        log.Update([UnknownField, UnknownKind, BadRegex]);

        Assert.Equal(
            [
                (LogLevel.Warning, $"Configuration warning: {UnknownField}"),
                (LogLevel.Warning, $"Configuration warning: {UnknownKind}"),
                (LogLevel.Error, $"Configuration error: {BadRegex}"),
            ],
            logger.Entries);
    }

    [Fact]
    public void A_new_diagnostic_is_logged_and_a_gone_one_is_logged_once_as_resolved()
    {
        var logger = new CapturingLogger();
        var log = new DiagnosticLog(logger);
        log.Update([UnknownField, BadRegex]);
        logger.Entries.Clear();

        log.Update([UnknownField, UnknownKind]);
        log.Update([UnknownField, UnknownKind]);

        Assert.Equal(
            [
                (LogLevel.Warning, $"Configuration warning: {UnknownKind}"),
                (LogLevel.Information, $"Configuration error resolved: {BadRegex}"),
            ],
            logger.Entries);
    }

    [Fact]
    public void A_changed_diagnostic_is_logged_again_and_its_old_form_resolved()
    {
        var logger = new CapturingLogger();
        var log = new DiagnosticLog(logger);
        log.Update([BadRegex]);
        logger.Entries.Clear();
        var changed = BadRegex with { Message = "'[' is unclosed" };

        log.Update([changed]);

        Assert.Equal(
            [
                (LogLevel.Error, $"Configuration error: {changed}"),
                (LogLevel.Information, $"Configuration error resolved: {BadRegex}"),
            ],
            logger.Entries);
    }

    [Fact]
    public void A_diagnostic_repeated_within_one_translation_is_logged_once()
    {
        var logger = new CapturingLogger();

        new DiagnosticLog(logger).Update([UnknownKind, UnknownKind]);

        Assert.Single(logger.Entries);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
