using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// <c>databuild invalidate</c> (docs/concepts.md#staleness): records that built partitions must be rebuilt, deleting
/// nothing. The next build that needs them rebuilds them, and what was built from them.
/// </summary>
public static class Invalidation
{
    /// <summary>
    /// Appends one <see cref="InvalidationEvent"/> for the built partitions <paramref name="selectors"/> name (refs or
    /// globs) and returns them, sorted. Throws <see cref="ArgumentException"/>, with nothing written, for a selector
    /// that is not a valid ref or glob, a ref never built, or a glob that matches no built partition.
    /// </summary>
    public static IReadOnlyList<string> Record(BuildEventLog log, PartitionCatalog catalog, IReadOnlyList<string> selectors, string reason,
        string requestedBy = "")
    {
        if (selectors.Count == 0) throw new ArgumentException("no partitions named: give at least one ref or glob to invalidate");
        var refs = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var selector in selectors)
        {
            if (!PartitionPattern.TryParse(selector, out var pattern, out var problem))
            {
                problems.Add($"'{selector}' is not a ref or glob: {problem}");
                continue;
            }
            var matched = pattern!.IsLiteral
                ? catalog.Get(selector)?.LastBuilt is null ? [] : [selector]
                : catalog.Refs.Where(pattern.IsMatch).Where(r => catalog.Get(r)?.LastBuilt is not null).ToArray();
            if (matched.Length == 0)
                problems.Add(pattern.IsLiteral ? $"{selector} was never built, so there is nothing to invalidate" : $"no built partition matches '{selector}'");
            refs.UnionWith(matched);
        }
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        var invalidation = new InvalidationEvent { Reason = reason, RequestedBy = requestedBy };
        invalidation.PartitionRefs.AddRange(refs.Select(NewEvent.Ref));
        log.Append(new BuildEvent { InvalidationEvent = invalidation });
        return refs.ToArray();
    }
}
