namespace Higress.Hosting.AccessLog;

/// <summary>Opens the stream the access log writes to: a file (appended, shared for reading), or standard output.</summary>
internal class AccessLogSink
{
    /// <summary>The <c>Higress:AccessLog:Path</c> value that means standard output.</summary>
    public const string Stdout = "stdout";

    public virtual Stream Open(string path)
    {
        if (string.Equals(path, Stdout, StringComparison.OrdinalIgnoreCase))
        {
            return Console.OpenStandardOutput();
        }

        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
    }
}
