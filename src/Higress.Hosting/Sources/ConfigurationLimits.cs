using System.Globalization;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Hosting.Sources;

/// <summary>
/// Applies <see cref="HigressLimitsOptions"/>: each check returns an error that names the file or object, the limit,
/// the actual size and the setting that raises it. Refused objects are left out, so that the last good version of
/// them keeps serving (see <c>LastGoodRetention</c>).
/// </summary>
internal static class ConfigurationLimits
{
    /// <summary>An error when <paramref name="bytes"/> is over <see cref="HigressLimitsOptions.MaxFileBytes"/>, else null.</summary>
    public static ConfigDiagnostic? CheckFileSize(string file, long bytes, HigressLimitsOptions limits) =>
        bytes <= limits.MaxFileBytes
            ? null
            : Refused(file, $"the file is {Format(bytes)} bytes, over the limit of {Format(limits.MaxFileBytes)} bytes; it was not read", "split it into smaller files, or raise Higress:Limits:MaxFileBytes");

    /// <summary>
    /// Drops a whole file that holds more than <see cref="HigressLimitsOptions.MaxDocumentsPerFile"/> objects, and each
    /// route with more than <see cref="HigressLimitsOptions.MaxRulesPerRoute"/> rules.
    /// </summary>
    public static ParseResult CheckParsed(string file, ParseResult parsed, HigressLimitsOptions limits)
    {
        var documents = parsed.Resources.Count + parsed.Diagnostics.Count(d => d.IsError);
        if (documents > limits.MaxDocumentsPerFile)
        {
            var error = Refused(file, $"the file holds {Format(documents)} objects, over the limit of {Format(limits.MaxDocumentsPerFile)}; none of them was loaded", "split it into smaller files, or raise Higress:Limits:MaxDocumentsPerFile");
            return new ParseResult([], [error]);
        }

        List<Resource>? kept = null;
        List<ConfigDiagnostic>? diagnostics = null;
        for (var i = 0; i < parsed.Resources.Count; i++)
        {
            var resource = parsed.Resources[i];
            var (field, rules) = LargestRuleList(resource);
            if (rules <= limits.MaxRulesPerRoute)
            {
                kept?.Add(resource);
                continue;
            }

            kept ??= [.. parsed.Resources.Take(i)];
            diagnostics ??= [.. parsed.Diagnostics];
            diagnostics.Add(new ConfigDiagnostic(
                DiagnosticSeverity.Error,
                resource.Display,
                field,
                $"{Format(rules)} rules, over the limit of {Format(limits.MaxRulesPerRoute)} per route; the object was not loaded",
                "split the rules over several routes, or raise Higress:Limits:MaxRulesPerRoute",
                resource.Origin.Display));
        }

        return kept is null ? parsed : new ParseResult(kept, diagnostics!);
    }

    /// <summary>An error when a snapshot of <paramref name="count"/> objects is over <see cref="HigressLimitsOptions.MaxObjects"/>, else null.</summary>
    public static ConfigDiagnostic? CheckTotal(int count, HigressLimitsOptions limits) =>
        count <= limits.MaxObjects
            ? null
            : new ConfigDiagnostic(
                DiagnosticSeverity.Error,
                "configuration",
                string.Empty,
                $"the sources hold {Format(count)} objects, over the limit of {Format(limits.MaxObjects)}; the last good configuration keeps serving",
                "remove objects, or raise Higress:Limits:MaxObjects");

    private static (string Field, int Rules) LargestRuleList(Resource resource) => resource switch
    {
        Route route => new[] { ("spec.http", route.Spec.Http.Count), ("spec.tcp", route.Spec.Tcp.Count), ("spec.tls", route.Spec.Tls.Count) }.MaxBy(r => r.Item2),
        TcpRoute route => ("spec.rules", route.Spec.Rules.Count),
        TlsRoute route => ("spec.rules", route.Spec.Rules.Count),
        HttpRoute route => ("spec.rules", route.Spec.Rules.Count),
        GrpcRoute route => ("spec.rules", route.Spec.Rules.Count),
        UdpRoute route => ("spec.rules", route.Spec.Rules.Count),
        HigressGateway gateway => gateway.Spec.Listeners
            .Select((listener, i) => ($"spec.listeners[{i.ToString(CultureInfo.InvariantCulture)}].routes", listener.Routes.Count))
            .DefaultIfEmpty((string.Empty, 0))
            .MaxBy(l => l.Item2),
        _ => (string.Empty, 0),
    };

    private static ConfigDiagnostic Refused(string file, string message, string fix) =>
        new(DiagnosticSeverity.Error, file, string.Empty, message, fix, file);

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
