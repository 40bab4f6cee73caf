namespace Higress.Core.Translation;

/// <summary>Timeout fields as Istio and the Gateway API define them: zero disables the timeout.</summary>
internal static class Timeouts
{
    public static TimeSpan? Enabled(TimeSpan? timeout) => timeout is { } t && t > TimeSpan.Zero ? t : null;
}
