namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// Polls, bounded in count, for what a gateway records a moment after its client saw the response (a span, a counter,
/// a health verdict): the test reads again until the value is complete, then asserts on it as it would have at once.
/// </summary>
internal static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds or the attempts run out; returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, int attempts = 50, int pauseMs = 100)
    {
        var value = await read();
        for (var attempt = 1; attempt < attempts && !done(value); attempt++)
        {
            await Task.Delay(pauseMs);
            value = await read();
        }

        return value;
    }

    /// <summary>Whether <paramref name="condition"/> became true within the attempts.</summary>
    public static Task<bool> TrueAsync(Func<Task<bool>> condition, int attempts = 400, int pauseMs = 50) =>
        ReadAsync(condition, holds => holds, attempts, pauseMs);
}
