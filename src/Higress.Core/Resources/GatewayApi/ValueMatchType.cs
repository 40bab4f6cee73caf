namespace Higress.Core.Resources;

/// <summary>How a header, query parameter or gRPC method matches.</summary>
public enum ValueMatchType
{
    /// <summary>Equal values.</summary>
    Exact,

    /// <summary>A regular expression.</summary>
    RegularExpression,
}
