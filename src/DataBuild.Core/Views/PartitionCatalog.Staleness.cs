using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>A job as the graph declares it now: its version and its code identity, against which partitions are judged.</summary>
public sealed record JobIdentity(string Version, string CodeKey)
{
    /// <summary>The major part of a semantic version: "1" of "1.4.2"; the whole text when it has no dot.</summary>
    public static string Major(string version) => version.Split('.', 2)[0].Trim();
}

// Staleness (docs/concepts.md#staleness). A partition's build key is, Merkle-like, its job's identity (the major
// version when the job declares one, else its code key) with the keys of its MATERIALIZE inputs as they were when it
// was built: it is STALE when its job's identity changed since, when an input was rebuilt after it, or when an input
// is itself stale. Judged without recursion (a chain may be 100,000 partitions deep) and remembered until the next
// partition event, for the same identities.
public sealed partial class PartitionCatalog
{
    private readonly record struct Judgement(string Reason, string Compatible)
    {
        public static readonly Judgement Fresh = new("", "");
    }

    private readonly Dictionary<string, Judgement> _judged = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, JobIdentity>? _judgedFor;

    private Judgement Judge(Entry root, IReadOnlyDictionary<string, JobIdentity>? jobs)
    {
        if (!ReferenceEquals(jobs, _judgedFor))
        {
            _judged.Clear();
            _judgedFor = jobs;
        }
        if (_judged.TryGetValue(root.Ref, out var known)) return known;

        // Depth first, each frame resuming at its next input; an entry being judged counts as fresh to its
        // descendants (a cycle, which analysis refuses, cannot make a log loop).
        var stack = new Stack<(Entry Entry, int Next, Judgement Own)>();
        _judged[root.Ref] = Judgement.Fresh;
        stack.Push((root, -1, Judgement.Fresh));
        while (stack.Count > 0)
        {
            var (entry, next, own) = stack.Pop();
            var run = LastRun(entry);
            if (next < 0)
            {
                own = entry.InvalidatedAt > entry.LastBuilt!.Index
                    ? new Judgement(entry.InvalidationReason.Length > 0 ? $"invalidated: {entry.InvalidationReason}" : "invalidated", "")
                    : run is null ? Judgement.Fresh : ByIdentity(run, jobs);
                if (own.Reason.Length > 0)
                {
                    _judged[entry.Ref] = own;
                    continue;
                }
                next = 0;
            }
            var inputs = run?.Config?.Inputs;
            var verdict = (string?)null;
            var descended = false;
            for (var i = next; inputs is not null && i < inputs.Count && verdict is null; i++)
            {
                var input = inputs[i];
                if (input.DepType != DepType.Materialize || !_entries.TryGetValue(input.PartitionRef.Str, out var upstream)) continue;
                if (upstream.LastBuilt is not null && upstream.LastBuilt.Index > entry.LastBuilt!.Index)
                {
                    verdict = $"upstream {upstream.Ref} was rebuilt";
                }
                else if (upstream.Status == PartitionStatus.PartitionAvailable)
                {
                    if (_judged.TryGetValue(upstream.Ref, out var judged))
                    {
                        if (judged.Reason.Length > 0) verdict = $"upstream {upstream.Ref} is stale";
                        continue;
                    }
                    stack.Push((entry, i, own));
                    _judged[upstream.Ref] = Judgement.Fresh;
                    stack.Push((upstream, -1, Judgement.Fresh));
                    descended = true;
                    break;
                }
            }
            if (!descended) _judged[entry.Ref] = verdict is null ? own : new Judgement(verdict, "");
        }
        return _judged[root.Ref];
    }

    // The job's part of the key: its major version when both the run and the graph declare one, else its code key.
    private static Judgement ByIdentity(JobRunInfo run, IReadOnlyDictionary<string, JobIdentity>? jobs)
    {
        if (jobs is null || !jobs.TryGetValue(run.JobLabel, out var now)) return Judgement.Fresh;
        var codeChanged = now.CodeKey.Length > 0 && run.CodeKey.Length > 0 && now.CodeKey != run.CodeKey;
        if (now.Version.Length > 0 && run.JobVersion.Length > 0)
        {
            var (was, major) = (JobIdentity.Major(run.JobVersion), JobIdentity.Major(now.Version));
            if (was != major) return new Judgement($"job version {run.JobVersion} → {now.Version}", "");
            if (codeChanged) return new Judgement("", $"code of job {run.JobLabel} changed, compatible under version {now.Version} (major {major} kept)");
            return now.Version != run.JobVersion ? new Judgement("", $"job version {run.JobVersion} → {now.Version}, compatible (major {major} kept)") : Judgement.Fresh;
        }
        return codeChanged ? new Judgement($"code of job {run.JobLabel} changed", "") : Judgement.Fresh;
    }
}
