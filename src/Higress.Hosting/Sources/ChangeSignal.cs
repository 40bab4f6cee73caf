using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>Hands out change tokens and fires them all at once; each firing starts a new generation of tokens.</summary>
internal sealed class ChangeSignal : IDisposable
{
    private CancellationTokenSource _cts = new();

    public IChangeToken GetToken() => new CancellationChangeToken(Volatile.Read(ref _cts).Token);

    public void Fire()
    {
        var previous = Interlocked.Exchange(ref _cts, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }

    public void Dispose() => _cts.Dispose();
}
