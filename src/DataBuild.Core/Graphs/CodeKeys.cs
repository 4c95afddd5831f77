using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DataBuild.Graphs;

/// <summary>
/// A job's code identity (docs/concepts.md#staleness): a SHA-256 of the files that make its program, by name and
/// content, so the same code gives the same key wherever it was built or published. For a .NET job the assembly
/// and the runtime files its deps.json names beside it; for a command the command file and its declared code files.
/// </summary>
public static class CodeKeys
{
    /// <summary>The key of these files (names as given, read in full); a missing file counts by its name alone.</summary>
    public static string OfFiles(IEnumerable<string> files) => Of(files, []);

    /// <summary>The files, then the command line: the part of a job's config its manifest decides.</summary>
    private static string Of(IEnumerable<string> files, IReadOnlyList<string> commandLine)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            if (!File.Exists(file)) continue;
            var content = File.ReadAllBytes(file);
            hash.AppendData(BitConverter.GetBytes((long)content.Length));
            hash.AppendData(content);
        }
        // A NUL starts the command line: no file name contains one, so no list of files hashes like a command line.
        foreach (var argument in commandLine) hash.AppendData(Encoding.UTF8.GetBytes("\0" + argument));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>The files of a .NET program: <paramref name="assembly"/>, its deps.json, and each runtime file the deps.json names that lies beside it.</summary>
    public static IReadOnlyList<string> AssemblyFiles(string assembly)
    {
        var files = new List<string> { assembly };
        var deps = Path.ChangeExtension(assembly, ".deps.json");
        if (!File.Exists(deps)) return files;
        files.Add(deps);
        var folder = Path.GetDirectoryName(Path.GetFullPath(assembly))!;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(deps));
            if (!document.RootElement.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object) return files;
            foreach (var target in targets.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.Object))
                foreach (var library in target.Value.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
                    if (library.Value.TryGetProperty("runtime", out var runtime) && runtime.ValueKind == JsonValueKind.Object)
                        foreach (var file in runtime.EnumerateObject())
                            if (Path.Combine(folder, Path.GetFileName(file.Name)) is var beside && File.Exists(beside)) files.Add(beside);
        }
        catch (JsonException)
        {
            // An unreadable deps.json still counts by its content.
        }
        return files;
    }

    /// <summary>
    /// The key of a job whose manifest has none: every file its command names (relative ones from <paramref name="folder"/>),
    /// a .NET assembly with its runtime files, and the command line itself, so that a changed argument
    /// (<c>MODE=fast</c> → <c>MODE=slow</c>) changes the key as an edited file does, when it has arguments; empty for a
    /// program on PATH alone.
    /// </summary>
    public static string OfCommand(string folder, IReadOnlyList<string> command)
    {
        var files = new List<string>();
        foreach (var part in command.Where(CommandPaths.IsPath).Select(p => CommandPaths.Resolve(folder, p)).Where(File.Exists))
            files.AddRange(part.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? AssemblyFiles(part) : [part]);
        // A command of one part is the program alone, already among the files (or on PATH): keyed as dotnet build keys it.
        if (command.Count <= 1) return files.Count == 0 ? "" : OfFiles(files);
        return Of(files, command);
    }
}
