using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Higress.Hosting.Tests.Streams;

/// <summary>
/// A raw TCP server on 127.0.0.1 for L4 tests. <see cref="Mode.Echo"/> sends back every byte and half-closes when the
/// client does (over TLS when it has a certificate); <see cref="Mode.GreetAndSink"/> sends a greeting, half-closes at
/// once, then reads to the end and keeps the length and SHA-256 of what arrived. It counts the connections it accepted.
/// </summary>
internal sealed partial class TcpBackend : IAsyncDisposable
{
    public const string Greeting = "hello from the backend";

    private readonly TcpListener _listener;
    private readonly Mode _mode;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    private TcpBackend(Mode mode, X509Certificate2? certificate)
    {
        _mode = mode;
        Certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public enum Mode
    {
        Echo,
        GreetAndSink,
    }

    public int Port { get; }

    public X509Certificate2? Certificate { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>In <see cref="Mode.GreetAndSink"/>: the length and hash of what the first connection that sent anything sent.</summary>
    public TaskCompletionSource<(long Length, byte[] Hash)> Sunk { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TcpBackend Start(Mode mode = Mode.Echo) => new(mode, null);

    /// <summary>An echo server that terminates TLS with a self-signed certificate for <paramref name="hostname"/>.</summary>
    public static TcpBackend StartTls(string hostname)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + hostname, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostname);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new TcpBackend(Mode.Echo, X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        Certificate?.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                if (Certificate is not null)
                {
                    await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, _stop.Token);
                    await tls.CopyToAsync(tls, _stop.Token);
                    return;
                }

                if (_mode == Mode.GreetAndSink)
                {
                    await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(Greeting), SocketFlags.None, _stop.Token);
                    socket.Shutdown(SocketShutdown.Send);
                    var sunk = await ReadToEndAsync(socket, _stop.Token);
                    if (sunk.Length > 0)
                    {
                        Sunk.TrySetResult(sunk);
                    }

                    return;
                }

                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or System.Security.Authentication.AuthenticationException)
            {
                // The test ended the connection (or the server); nothing to serve.
            }
        }
    }
}
