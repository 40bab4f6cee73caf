using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Loading;

/// <summary>Reads OPA bundles (.tar.gz) and directory trees into modules and data.</summary>
internal static class BundleReader
{
    public static void ReadBundle(Stream tarGz, PolicyCompiler target)
    {
        using var gz = new GZipStream(tarGz, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gz);
        string? manifest = null;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
            {
                continue;
            }
            string name = entry.Name.Replace('\\', '/');
            while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            name = name.TrimStart('/');
            using var ms = new MemoryStream();
            entry.DataStream.CopyTo(ms);
            string text = Encoding.UTF8.GetString(ms.ToArray());
            if (name == ".manifest")
            {
                manifest = text;
                continue;
            }
            AddFile(name, text, target);
        }
        if (manifest is not null)
        {
            target.SetManifest(RegoConvert.ParseJson(manifest));
        }
    }

    public static void ReadDirectory(string dir, PolicyCompiler target)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(dir, file).Replace('\\', '/');
            if (Path.GetFileName(rel) == ".manifest")
            {
                target.SetManifest(RegoConvert.ParseJson(File.ReadAllText(file)));
                continue;
            }
            AddFile(rel, File.ReadAllText(file), target);
        }
    }

    private static void AddFile(string rel, string text, PolicyCompiler target)
    {
        string fileName = Path.GetFileName(rel);
        string dirPart = rel.Length > fileName.Length ? rel[..(rel.Length - fileName.Length - 1)] : "";
        var path = dirPart.Length == 0 ? Array.Empty<string>() : dirPart.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (rel.EndsWith(".rego", StringComparison.Ordinal))
        {
            target.AddModule(rel, text);
        }
        else if (fileName == "data.json")
        {
            target.AddData(path, RegoConvert.ParseJson(text));
        }
        else if (fileName is "data.yaml" or "data.yml")
        {
            target.AddData(path, YamlConverter.Parse(text));
        }
    }
}
