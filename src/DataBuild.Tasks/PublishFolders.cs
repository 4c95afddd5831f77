namespace DataBuild.Tasks;

/// <summary>
/// Where each job goes in a published graph: jobs/&lt;folder&gt;/. Labels may hold ':' and '/' (Bazel-style
/// '//jobs:extract'), which make poor folder names, so those characters become '_' and a clash gets a number.
/// </summary>
internal static class PublishFolders
{
    public static IEnumerable<ResolvedJob> Assign(IEnumerable<ResolvedJob> jobs)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var job in jobs)
        {
            var safe = new string(job.Label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray()).Trim('.');
            if (safe.Length == 0) safe = "job";
            var folder = safe;
            for (var n = 2; !taken.Add(folder); n++) folder = $"{safe}-{n}";
            yield return job with { PublishFolder = $"jobs/{folder}" };
        }
    }
}
