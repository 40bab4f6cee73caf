using System.Globalization;
using System.Text.RegularExpressions;
using Higress.Opa.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Higress.Opa.Loading;

/// <summary>Converts YAML documents to Rego values with the YAML 1.2 core schema for plain scalars.</summary>
internal static partial class YamlConverter
{
    public static RegoValue Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RegoException(RegoErrorCodes.LoadError, "invalid YAML: " + e.Message, null, e);
        }
        if (stream.Documents.Count == 0)
        {
            return RegoNull.Instance;
        }
        return Convert(stream.Documents[0].RootNode);
    }

    public static RegoValue Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s:
                return Scalar(s);
            case YamlSequenceNode seq:
                return RegoArray.Create(seq.Children.Select(Convert));
            case YamlMappingNode map:
            {
                var keys = new RegoValue[map.Children.Count];
                var vals = new RegoValue[map.Children.Count];
                int i = 0;
                foreach (var (k, v) in map.Children)
                {
                    var kv = Convert(k);
                    keys[i] = kv is RegoString ? kv : RegoString.Create(k is YamlScalarNode ks ? ks.Value ?? "" : kv.ToString());
                    vals[i] = Convert(v);
                    i++;
                }
                return RegoObject.FromUnsorted(keys, vals, i);
            }
            default:
                return RegoNull.Instance;
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static RegoValue Scalar(YamlScalarNode s)
    {
        string v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return RegoString.Create(v);
        }
        if (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str")
        {
            return RegoString.Create(v);
        }
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return RegoNull.Instance;
            case "true" or "True" or "TRUE":
                return RegoBoolean.True;
            case "false" or "False" or "FALSE":
                return RegoBoolean.False;
        }
        if (IntPattern().IsMatch(v))
        {
            return RegoNumber.TryParse(v.TrimStart('+')) ?? (RegoValue)RegoString.Create(v);
        }
        if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
        {
            return RegoNumber.FromInt64(hex);
        }
        if (FloatPattern().IsMatch(v))
        {
            return RegoNumber.TryParse(v.TrimStart('+')) ?? (RegoValue)RegoString.Create(v);
        }
        return RegoString.Create(v);
    }
}
