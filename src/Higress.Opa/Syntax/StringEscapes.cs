namespace Higress.Opa.Syntax;

/// <summary>The one-character escapes of a JSON string, which Rego and GraphQL strings share.</summary>
internal static class StringEscapes
{
    /// <summary>Decodes <c>\"</c>, <c>\\</c>, <c>\/</c>, <c>\b</c>, <c>\f</c>, <c>\n</c>, <c>\r</c> and <c>\t</c>, given the character after the backslash.</summary>
    public static bool TryDecode(char escaped, out char decoded)
    {
        decoded = escaped switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => '\0',
        };
        return decoded != '\0';
    }
}
