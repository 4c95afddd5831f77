using DataBuild.Refs;

namespace DataBuild.Job;

/// <summary>
/// A partition ref pattern such as <c>reviews/date={date}</c> (docs/job-contract.md), for reading the values out
/// of the refs a job is given. The job-facing name of <see cref="PartitionPattern"/>, which the graph uses to
/// route refs to jobs: one syntax, one implementation, so a job and its graph always agree on what matches.
/// </summary>
public sealed class RefPattern
{
    /// <exception cref="FormatException"><paramref name="pattern"/> is not a valid pattern.</exception>
    public RefPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        // The documented exception of this API is FormatException itself, so job code can catch exactly that.
        try
        {
            Pattern = PartitionPattern.Parse(pattern);
        }
        catch (InvalidPatternException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>The parsed pattern, as the graph's lookup and event filters use it.</summary>
    public PartitionPattern Pattern { get; }

    public string Text => Pattern.Text;

    public override string ToString() => Text;

    public bool IsMatch(string partitionRef) => Pattern.IsMatch(partitionRef);

    /// <summary>The <c>{name}</c> values in <paramref name="partitionRef"/>, by name.</summary>
    /// <exception cref="FormatException"><paramref name="partitionRef"/> does not match this pattern.</exception>
    public IReadOnlyDictionary<string, string> Captures(string partitionRef) =>
        Pattern.Match(partitionRef) ?? throw new FormatException($"'{partitionRef}' does not match the pattern '{Text}'");
}
