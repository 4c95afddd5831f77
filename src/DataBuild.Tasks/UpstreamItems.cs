using DataBuild.Graphs;
using DataBuild.Refs;
using Microsoft.Build.Framework;

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
                : resolveTokenFiles ? Path.GetFullPath(Path.Combine(item.GetMetadata("DefiningProjectDirectory"), tokenFile))
                : tokenFile));
        }
        return upstreams;
    }
}
