using System.Text;

namespace Higress.Hosting.Admin;

/// <summary>
/// Writes <c>/stats</c>: the same series as <c>/metrics</c> (<see cref="PrometheusText"/>), as JSON, in the shape of
/// Envoy's <c>/stats?format=json</c>: <c>{"stats": [{"name", "type", "labels", "value"}]}</c>; a summary (histogram)
/// has its <c>count</c> and its sum as <c>value</c>.
/// </summary>
internal static class StatsJson
{
    public static Task WriteAsync(Stream body, PrometheusText metrics, CancellationToken cancellationToken) =>
        AdminJson.WriteListAsync(body, null, "stats", metrics.Snapshot(), (writer, series) =>
        {
            writer.WriteString("name", series.Name);
            writer.WriteString("type", series.Type);
            writer.WriteStartObject("labels");
            foreach (var (label, text) in Labels(series.Labels))
            {
                writer.WriteString(label, text);
            }

            writer.WriteEndObject();
            writer.WriteNumber("value", series.Value);
            if (series.Type == "summary")
            {
                writer.WriteNumber("count", series.Count);
            }
        }, cancellationToken);

    /// <summary>Reads labels back from their Prometheus form, <c>{a="x",b="y\"z"}</c>.</summary>
    public static List<(string Name, string Value)> Labels(string text)
    {
        var labels = new List<(string, string)>();
        var i = 1;
        while (i < text.Length - 1)
        {
            var equals = text.IndexOf('=', i);
            var name = text[i..equals];
            var value = new StringBuilder();
            for (i = equals + 2; i < text.Length && text[i] != '"'; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                    value.Append(text[i] == 'n' ? '\n' : text[i]);
                }
                else
                {
                    value.Append(text[i]);
                }
            }

            labels.Add((name, value.ToString()));
            i += 2; // past the closing quote and the comma (or the closing brace)
        }

        return labels;
    }
}
