using System.Text;

namespace Higress.Opa.Values;

/// <summary>The Rego/JSON null value.</summary>
public sealed class RegoNull : RegoValue
{
    /// <summary>The single instance.</summary>
    public static readonly RegoNull Instance = new();

    private RegoNull() { }

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Null;

    private protected override int CompareSameKind(RegoValue other) => 0;

    private protected override bool EqualsSameKind(RegoValue other) => true;

    /// <inheritdoc />
    public override int GetHashCode() => 0x1234567;

    internal override void AppendRego(StringBuilder sb) => sb.Append("null");
}

/// <summary>A Rego boolean.</summary>
public sealed class RegoBoolean : RegoValue
{
    /// <summary>true.</summary>
    public static new readonly RegoBoolean True = new(true);

    /// <summary>false.</summary>
    public static new readonly RegoBoolean False = new(false);

    private RegoBoolean(bool value) => Value = value;

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Boolean;

    private protected override int CompareSameKind(RegoValue other) => Value.CompareTo(((RegoBoolean)other).Value);

    private protected override bool EqualsSameKind(RegoValue other) => Value == ((RegoBoolean)other).Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 0x2b1 : 0x2b0;

    internal override void AppendRego(StringBuilder sb) => sb.Append(Value ? "true" : "false");
}

/// <summary>A Rego string (a sequence of Unicode code points, stored as a .NET string).</summary>
public sealed class RegoString : RegoValue
{
    /// <summary>The empty string.</summary>
    public static readonly RegoString Empty = new(string.Empty);

    private int _hash;

    private RegoString(string value) => Value = value;

    /// <summary>Creates a string value.</summary>
    public static RegoString Create(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? Empty : new RegoString(value);
    }

    /// <summary>The string.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.String;

    private protected override int CompareSameKind(RegoValue other) => CompareUtf8Order(Value, ((RegoString)other).Value);

    /// <summary>Compares two strings in the order of their UTF-8 bytes (Go's string order).</summary>
    internal static int CompareUtf8Order(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x != y)
            {
                // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
                bool sx = char.IsSurrogate(x), sy = char.IsSurrogate(y);
                if (sx != sy)
                {
                    return sx ? 1 : -1;
                }
                return x < y ? -1 : 1;
            }
        }
        return a.Length.CompareTo(b.Length);
    }

    private protected override bool EqualsSameKind(RegoValue other) => string.Equals(Value, ((RegoString)other).Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            h = string.GetHashCode(Value, StringComparison.Ordinal) | 1;
            _hash = h;
        }
        return h;
    }

    internal override void AppendRego(StringBuilder sb) => AppendQuoted(sb, Value);

    /// <summary>
    /// Appends a JSON-quoted string. <paramref name="escapeHtml"/> also escapes <c>&lt; &gt; &amp;</c> and the line and
    /// paragraph separators, as Go's <c>json.Marshal</c> does (OPA's <c>json.marshal</c>).
    /// </summary>
    internal static void AppendQuoted(StringBuilder sb, string s, bool escapeHtml = false)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (escapeHtml && c is '<' or '>' or '&' or '\u2028' or '\u2029'))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
