using System.Text.RegularExpressions;

namespace Higress.Core.Resources.Parsing;

/// <summary>Checks that a pattern compiles as a .NET regular expression and explains why when it does not.</summary>
internal static class RegexValidation
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static bool TryValidate(string pattern, out string message)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            message = string.Empty;
            return true;
        }
        catch (RegexParseException ex)
        {
            message = ex.Error switch
            {
                RegexParseError.InsufficientClosingParentheses => "'(' is unclosed",
                RegexParseError.InsufficientOpeningParentheses => "')' has no matching '('",
                RegexParseError.UnterminatedBracket => "'[' is unclosed",
                RegexParseError.QuantifierAfterNothing => $"a quantifier at offset {ex.Offset} follows nothing",
                RegexParseError.NestedQuantifiersNotParenthesized => $"nested quantifiers at offset {ex.Offset}",
                RegexParseError.UnescapedEndingBackslash => "the pattern ends with an unescaped '\\'",
                _ => $"invalid regular expression at offset {ex.Offset}: {ex.Error}",
            };
            return false;
        }
        catch (ArgumentException ex)
        {
            message = ex.Message;
            return false;
        }
    }
}
