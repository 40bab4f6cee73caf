using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The reference host (<c>samples/Higress.Gateway</c>) as a child process, started exactly as an operator would:
/// <c>dotnet Higress.Gateway.dll --Higress:ConfigDir=DIR --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port=N</c>,
/// from a working directory that is not the binary's.
/// </summary>
public sealed class ReferenceHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReferenceHostProcess(Process process, string configDir, string workingDir, GatewayClient client)
    {
        _process = process;
        ConfigDir = configDir;
        WorkingDir = workingDir;
        Client = client;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The watched directory.</summary>
    public string ConfigDir { get; }

    /// <summary>The process's working directory (a fresh temporary one).</summary>
    public string WorkingDir { get; }

    /// <summary>A client for the listeners and the admin port.</summary>
    public GatewayClient Client { get; }

    /// <summary>The host's process id (e.g. to read its <c>/proc</c> entries).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built reference host: the sample's own output when present, else the copy beside the tests.</summary>
    public static string HostDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var sample = Path.Combine(dir.FullName, "samples", "Higress.Gateway", "bin", "Release", "net10.0", "Higress.Gateway.dll");
            if (File.Exists(Path.Combine(dir.FullName, "Higress.Net.sln")) && File.Exists(sample))
            {
                return sample;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "Higress.Gateway.dll");
    }

    /// <summary>Starts the host on <paramref name="files"/> and waits for <c>/readyz</c>.</summary>
    /// <param name="files">File name → YAML.</param>
    /// <param name="relativeConfigDir">Pass ConfigDir as a path relative to the working directory (as docs/operations.md allows).</param>
    /// <param name="adminPort">The admin port; a free one when null.</param>
    /// <param name="waitReady">Wait for <c>/readyz</c>; false returns once the process runs (for hosts that cannot be ready).</param>
    /// <param name="extraArgs">More command-line arguments, e.g. <c>--Higress:Shutdown:DrainDelay=1s</c>.</param>
    public static async Task<ReferenceHostProcess> StartAsync(IReadOnlyDictionary<string, string> files, bool relativeConfigDir = false, int? adminPort = null, bool waitReady = true, IEnumerable<string>? extraArgs = null)
    {
        var workingDir = Directory.CreateTempSubdirectory("higress-e2e-ref-cwd-").FullName;
        var configDir = relativeConfigDir
            ? Directory.CreateDirectory(Path.Combine(workingDir, "config")).FullName
            : Directory.CreateTempSubdirectory("higress-e2e-ref-config-").FullName;
        foreach (var (name, yaml) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(configDir, name), yaml);
        }

        adminPort ??= FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll());
        start.ArgumentList.Add($"--Higress:ConfigDir={(relativeConfigDir ? "config" : configDir)}");
        start.ArgumentList.Add("--Higress:BindAddress=127.0.0.1");
        start.ArgumentList.Add($"--Higress:Admin:Port={adminPort.Value.ToString(CultureInfo.InvariantCulture)}");
        foreach (var arg in GatewayHost.FastPathSetting().Concat(extraArgs ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var host = new ReferenceHostProcess(process, configDir, workingDir, new GatewayClient(adminPort.Value));
        if (!waitReady)
        {
            return host;
        }

        try
        {
            await host.Client.WaitReadyAsync(timeout: TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            var output = host.Output;
            await host.DisposeAsync();
            throw new TimeoutException($"{ex.Message}; output:\n{output}", ex);
        }

        return host;
    }

    /// <summary>Writes (or replaces) one file and waits for a newer plan.</summary>
    public async Task ApplyAsync(string name, string yaml)
    {
        var before = await Client.GenerationAsync();
        await WriteAsync(name, yaml);
        await Client.WaitReadyAsync(before + 1);
    }

    /// <summary>Replaces one file atomically without waiting.</summary>
    public async Task WriteAsync(string name, string yaml)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"higress-e2e-{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, yaml);
        File.Move(temp, Path.Combine(ConfigDir, name), overwrite: true);
    }

    /// <summary>Sends SIGTERM, as Kubernetes does when it removes a pod (<see cref="Process.Kill()"/> would send SIGKILL).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit (at most <paramref name="timeout"/>) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        foreach (var dir in new[] { ConfigDir, WorkingDir })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
