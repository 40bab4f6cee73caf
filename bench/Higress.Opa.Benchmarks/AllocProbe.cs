using System.Diagnostics.Tracing;

namespace Higress.Opa.Benchmarks;

/// <summary>Samples allocation types through the runtime's AllocationTick events (diagnostics only).</summary>
internal sealed class AllocProbe : EventListener
{
    public Dictionary<string, int> Counts { get; } = [];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not null && e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) && e.Payload is not null)
        {
            int idx = e.PayloadNames!.IndexOf("TypeName");
            if (idx >= 0)
            {
                string t = e.Payload[idx]?.ToString() ?? "?";
                lock (Counts)
                {
                    Counts[t] = Counts.GetValueOrDefault(t) + 1;
                }
            }
        }
    }
}
