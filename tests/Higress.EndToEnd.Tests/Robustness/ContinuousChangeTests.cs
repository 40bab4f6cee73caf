using System.Collections.Concurrent;
using System.Globalization;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 7.9: a stream of configuration edits closer together than the reload debounce (50 edits, 100 ms apart, under
/// a steady load) must not postpone every apply: the debounce has a ceiling, so edits reach traffic while they are
/// still arriving, and no request fails.
/// </summary>
public sealed class ContinuousChangeTests
{
    private const int Edits = 50;
    private const int Workers = 4;
    private const int MaxRequests = 200_000;

    [Fact]
    public async Task FiftyEdits100msApartUnderLoad_ReachTrafficWhileArriving_AndNoRequestFails()
    {
        var port = FreePorts.Next();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["00-gateway.yaml"] = $$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  listeners: [{protocol: HTTP, port: {{port}}}]
                """,
            ["10-route.yaml"] = RouteYaml(0),
        });

        var failures = new ConcurrentQueue<string>();
        var seenDuringEdits = new ConcurrentDictionary<int, bool>();
        var editing = 1;
        var sent = 0;
        using var stop = new CancellationTokenSource();

        async Task WorkAsync()
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= MaxRequests)
            {
                try
                {
                    var response = await gateway.SendAsync(port, "example.com", "/version");
                    if (response.Code != 200 || !response.Body.StartsWith('v'))
                    {
                        failures.Enqueue(response.ToString());
                    }
                    else if (Volatile.Read(ref editing) == 1)
                    {
                        seenDuringEdits[int.Parse(response.Body[1..], CultureInfo.InvariantCulture)] = true;
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue(ex.Message);
                }
            }
        }

        var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
        try
        {
            for (var edit = 1; edit <= Edits; edit++)
            {
                await gateway.WriteAtomicallyAsync("10-route.yaml", RouteYaml(edit));
                await Task.Delay(100);
            }

            Volatile.Write(ref editing, 0);

            // The last edit arrives within about the debounce ceiling after the stream stops.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while ((await gateway.SendAsync(port, "example.com", "/version")).Body != "v" + Edits && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {sent} request(s) failed, e.g. {string.Join(" | ", failures.Take(5))}");
        var newer = seenDuringEdits.Keys.Where(v => v > 0).Order().ToArray();
        Assert.True(newer.Length >= 3, $"while edits were arriving, traffic saw versions [{string.Join(", ", seenDuringEdits.Keys.Order())}]; expected several newer ones");
        Assert.Equal("v" + Edits, (await gateway.SendAsync(port, "example.com", "/version")).Body);
    }

    private static string RouteYaml(int version) => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: version}
        spec:
          http:
          - match: [{uri: {prefix: /version} }]
            directResponse: {status: 200, body: {string: "v{{version}}"} }
        """;
}
