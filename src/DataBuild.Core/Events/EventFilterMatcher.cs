using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>
/// Decides in memory whether an event matches an <see cref="EventFilter"/>: within one field any value
/// matches, across fields all must match, an empty field does not constrain. <c>partition_refs</c> and
/// <c>partition_patterns</c> are two fields like the others, so giving both asks for events that touch one
/// of the refs and also a ref matching one of the patterns. This is the reference the backends that
/// filter in a database are tested against.
/// </summary>
public sealed class EventFilterMatcher
{
    private readonly HashSet<string> _refs;
    private readonly IReadOnlyList<PartitionPattern> _patterns;
    private readonly HashSet<string> _jobLabels;
    private readonly HashSet<string> _jobRunIds;
    private readonly HashSet<string> _buildRequestIds;
    private readonly HashSet<string> _wantIds;

    /// <summary>Parses the filter's patterns once; throws <see cref="InvalidPatternException"/> for a bad one.</summary>
    public EventFilterMatcher(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _refs = new HashSet<string>(filter.PartitionRefs, StringComparer.Ordinal);
        _patterns = ParsePatterns(filter);
        _jobLabels = new HashSet<string>(filter.JobLabels, StringComparer.Ordinal);
        _jobRunIds = new HashSet<string>(filter.JobRunIds, StringComparer.Ordinal);
        _buildRequestIds = new HashSet<string>(filter.BuildRequestIds, StringComparer.Ordinal);
        _wantIds = new HashSet<string>(filter.WantIds, StringComparer.Ordinal);
    }

    /// <summary>True when the filter constrains nothing: every event matches.</summary>
    public bool IsEmpty => _refs.Count == 0 && _patterns.Count == 0 && _jobLabels.Count == 0 && _jobRunIds.Count == 0
        && _buildRequestIds.Count == 0 && _wantIds.Count == 0;

    public static bool Matches(EventFilter filter, BuildEvent buildEvent) => new EventFilterMatcher(filter).Matches(buildEvent);

    /// <summary>Parses every pattern of <paramref name="filter"/>, so a bad glob is reported before any work.</summary>
    public static IReadOnlyList<PartitionPattern> ParsePatterns(EventFilter filter) =>
        filter.PartitionPatterns.Select(PartitionPattern.Parse).ToList();

    public bool Matches(BuildEvent buildEvent)
    {
        if (IsEmpty) return true;
        var keys = EventKeys.Of(buildEvent);
        return (_refs.Count == 0 || keys.PartitionRefs.Any(_refs.Contains))
            && (_patterns.Count == 0 || keys.PartitionRefs.Any(r => _patterns.Any(p => p.IsMatch(r))))
            && (_jobLabels.Count == 0 || (keys.JobLabel is not null && _jobLabels.Contains(keys.JobLabel)))
            && (_jobRunIds.Count == 0 || (keys.JobRunId is not null && _jobRunIds.Contains(keys.JobRunId)))
            && (_buildRequestIds.Count == 0 || (keys.BuildRequestId is not null && _buildRequestIds.Contains(keys.BuildRequestId)))
            && (_wantIds.Count == 0 || keys.WantIds.Any(_wantIds.Contains));
    }
}
