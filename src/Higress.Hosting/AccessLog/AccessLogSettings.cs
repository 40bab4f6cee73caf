using System.Globalization;

namespace Higress.Hosting.AccessLog;

/// <summary>Checks the <c>Higress:AccessLog</c> settings once, at start, with messages that name the setting and the fix.</summary>
internal static class AccessLogSettings
{
    /// <summary>The problems in <paramref name="options"/>; empty when it is usable.</summary>
    public static IEnumerable<string> Validate(HigressAccessLogOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            yield break;
        }

        if (!(options.SampleRatio is >= 0 and <= 1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Higress:AccessLog:SampleRatio: {options.SampleRatio} is not a share; write a number from 0 (none) to 1 (every request)");
        }

        if (options.QueueSize < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Higress:AccessLog:QueueSize: {options.QueueSize} leaves no room for a line; write a positive number (default 8192)");
        }

        if (!Enum.IsDefined(options.Format))
        {
            yield return $"Higress:AccessLog:Format: {options.Format} is not a format; write json or text";
        }
    }
}
