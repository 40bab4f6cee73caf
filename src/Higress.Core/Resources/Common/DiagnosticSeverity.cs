namespace Higress.Core.Resources;

/// <summary>How bad a configuration diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The object (or document) was dropped.</summary>
    Error,

    /// <summary>The object loaded; something in it was ignored or looks wrong.</summary>
    Warning,
}
