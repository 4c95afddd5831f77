using System.Globalization;
using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// A framework-dependent job is published portable: under <c>runtimes/</c> it carries every platform's native
/// libraries (SQLite's alone are ~67 MB over 30 RIDs) though the graph is published for one. This keeps the folders of
/// that RID's own chain (<c>linux-x64</c>, <c>linux</c>, <c>unix</c>), the only ones the host looks in there, and
/// deletes the rest, as the runner's own natives are chosen.
/// </summary>
public sealed class PruneForeignRuntimes : Microsoft.Build.Utilities.Task
{
    /// <summary>The publish folders of the .NET jobs.</summary>
    [Required]
    public ITaskItem[] Folders { get; set; } = [];

    /// <summary>The RID the graph is published for.</summary>
    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    public override bool Execute()
    {
        var kept = Chain(RuntimeIdentifier);
        long bytes = 0;
        foreach (var folder in Folders.Select(f => Path.Combine(f.ItemSpec, "runtimes")).Where(Directory.Exists))
            foreach (var foreign in Directory.GetDirectories(folder).Where(d => !kept.Contains(Path.GetFileName(d))))
            {
                bytes += Directory.EnumerateFiles(foreign, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                Directory.Delete(foreign, recursive: true);
            }
        Log.LogMessage(MessageImportance.Low, string.Create(CultureInfo.InvariantCulture,
            $"DataBuild: left out {bytes / (1024.0 * 1024):0.#} MB of other platforms' native libraries from the jobs (kept {string.Join(", ", kept)})"));
        return true;
    }

    /// <summary>
    /// A RID and the RIDs it falls back to in .NET's portable RID graph: <c>linux-musl-x64</c> → <c>linux-musl</c>,
    /// <c>linux</c>, <c>unix</c>; <c>osx-arm64</c> → <c>osx</c>, <c>unix</c>; <c>win-x64</c> → <c>win</c>.
    /// </summary>
    public static IReadOnlyList<string> Chain(string rid)
    {
        var chain = new List<string> { rid };
        var dash = rid.LastIndexOf('-');
        var system = dash > 0 ? rid[..dash] : rid;
        if (system != rid) chain.Add(system);
        if (system.StartsWith("linux-", StringComparison.Ordinal)) chain.Add("linux");
        if (!system.StartsWith("win", StringComparison.Ordinal)) chain.Add("unix");
        return chain;
    }
}
