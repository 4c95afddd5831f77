using System.Text.Json;

namespace DataBuild.Storage.Tests;

/// <summary>
/// The Delta tables other implementations wrote, in <c>shared/fixtures/delta-reference</c> beside the repository
/// (read in place, never copied in), and what its EXPECTED.json says of each.
/// </summary>
internal static class DeltaReference
{
    public static string Root { get; } = Find();

    public static string Table(string name) => Path.Combine(Root, name);

    public static JsonElement Expected(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "EXPECTED.json")));
        return document.RootElement.GetProperty(name).Clone();
    }

    // ../shared relative to the repository (CI lays it there); a worktree nested deeper finds it further up.
    private static string Find()
    {
        for (var folder = Directory.GetParent(Repository.Root); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "fixtures", "delta-reference");
            if (File.Exists(Path.Combine(candidate, "EXPECTED.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"shared/fixtures/delta-reference is not beside the repository {Repository.Root} or any folder above it");
    }
}
