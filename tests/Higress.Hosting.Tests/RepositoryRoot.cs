namespace Higress.Hosting.Tests;

/// <summary>The checkout the tests run from, for tests that read the repository's files (docs, schema, csproj).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Higress.Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Higress.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
