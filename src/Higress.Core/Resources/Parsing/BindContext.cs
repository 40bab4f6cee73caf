namespace Higress.Core.Resources.Parsing;

/// <summary>Collects the diagnostics of one document while it is bound.</summary>
internal sealed class BindContext(string objectDisplay, string? sourceFile, bool stringScalars, FieldNaming naming = FieldNaming.CamelCase)
{
    /// <summary>How field names appear on the wire.</summary>
    public FieldNaming Naming { get; } = naming;

    /// <summary>
    /// Report unknown fields as errors instead of warnings: in a security policy a misspelt field must not silently
    /// weaken the policy.
    /// </summary>
    public bool UnknownFieldsAreErrors { get; init; }

    private readonly List<ConfigDiagnostic> _diagnostics = [];

    /// <summary>The object, e.g. <c>Route shop/orders</c>, or <c>file.yaml#2</c>.</summary>
    public string ObjectDisplay { get; } = objectDisplay;

    /// <summary>Accept numbers and booleans written as strings (configuration sources, where every value is a string).</summary>
    public bool StringScalars { get; } = stringScalars;

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => ErrorCount > 0;

    public int ErrorCount { get; private set; }

    public void Error(string path, string message, string? fix = null)
    {
        ErrorCount++;
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, ObjectDisplay, path, message, fix, sourceFile));
    }

    public void Warning(string path, string message, string? fix = null) =>
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, ObjectDisplay, path, message, fix, sourceFile));
}
