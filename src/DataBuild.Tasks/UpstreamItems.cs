using DataBuild.Graphs;
using DataBuild.Refs;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DataBuild.Tasks;

/// <summary>
/// &lt;DataBuildUpstream Include="http://host:port" Patterns="reviews/**" TokenFile="…" /&gt; items to Core's
/// <see cref="UpstreamGraph"/>: the item's identity is the upstream service's URL, <c>Patterns</c> lists what this
/// graph reads from it (';'-separated), <c>TokenFile</c> names the file holding its bearer token.
/// </summary>
internal static class UpstreamItems
{
    public const string Patterns = "Patterns";
    public const string TokenFile = "TokenFile";

    /// <summary>The project that declared the item; kept when the item reaches a composing graph, whose own
    /// DefiningProject* metadata would name itself.</summary>
    public const string DeclaringProject = "DataBuildDeclaringProject";

    /// <summary>The project file that declared <paramref name="item"/>, wherever it is read.</summary>
    public static string DeclaredIn(ITaskItem item) =>
        item.GetMetadata(DeclaringProject) is { Length: > 0 } project ? project : item.GetMetadata("DefiningProjectFullPath");

    /// <summary>
    /// This graph's own upstreams, then those of the graphs it composes (<paramref name="composed"/>, already composed
    /// themselves). An upstream a composed graph shares with this one or another composed graph is one upstream whose
    /// patterns are all of theirs; one that names another token file is reported through <paramref name="conflict"/>
    /// (the item, the message) and left out. Two of this graph's own items with one address stay two, for the
    /// graph's rules to refuse.
    /// </summary>
    public static ITaskItem[] Compose(IEnumerable<ITaskItem> own, IEnumerable<ITaskItem> composed, Action<ITaskItem, string> conflict)
    {
        var result = own.Select(item => (ITaskItem)new TaskItem(item.ItemSpec, new Dictionary<string, string>
        {
            [Patterns] = item.GetMetadata(Patterns),
            [TokenFile] = item.GetMetadata(TokenFile),
            [DeclaringProject] = DeclaredIn(item),
        })).ToList();
        foreach (var item in composed)
        {
            var same = result.FirstOrDefault(r => r.ItemSpec == item.ItemSpec);
            if (same is null)
            {
                result.Add(new TaskItem(item));
                continue;
            }
            if (TokenPath(same) != TokenPath(item))
            {
                conflict(item, $"upstream '{item.ItemSpec}' is declared in {DeclaredIn(same)} with TokenFile '{same.GetMetadata(TokenFile)}' " +
                    $"and in {DeclaredIn(item)} with TokenFile '{item.GetMetadata(TokenFile)}'; one service takes one token");
                continue;
            }
            var patterns = OutputPatterns.Split(same.GetMetadata(Patterns)).Concat(OutputPatterns.Split(item.GetMetadata(Patterns))).Distinct(StringComparer.Ordinal);
            same.SetMetadata(Patterns, string.Join(';', patterns));
        }
        return result.ToArray();
    }

    private static string TokenPath(ITaskItem item) => item.GetMetadata(TokenFile) is { Length: > 0 } file ? Resolve(item, file) : "";

    private static string Resolve(ITaskItem item, string tokenFile) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DeclaredIn(item))!, tokenFile));

    /// <summary>
    /// The upstreams the items declare; an invalid pattern is left out and reported through <paramref name="invalidPattern"/>
    /// (item, pattern, problem). With <paramref name="resolveTokenFiles"/>, a relative TokenFile resolves against the folder of the
    /// project declaring the item (a built graph's manifest lives elsewhere); otherwise it stays as declared, relative to the
    /// published graph's folder, where a deployment puts the token.
    /// </summary>
    public static IReadOnlyList<UpstreamGraph> Read(IEnumerable<ITaskItem> items, bool resolveTokenFiles, Action<ITaskItem, string, string>? invalidPattern = null)
    {
        var upstreams = new List<UpstreamGraph>();
        foreach (var item in items)
        {
            var patterns = new List<PartitionPattern>();
            foreach (var text in OutputPatterns.Split(item.GetMetadata(Patterns)))
            {
                if (PartitionPattern.TryParse(text, out var pattern, out var problem)) patterns.Add(pattern!);
                else invalidPattern?.Invoke(item, text, problem!);
            }
            var tokenFile = item.GetMetadata(TokenFile);
            upstreams.Add(new UpstreamGraph(item.ItemSpec, patterns,
                tokenFile.Length == 0 ? null
                : resolveTokenFiles ? Resolve(item, tokenFile)
                : tokenFile));
        }
        return upstreams;
    }
}
