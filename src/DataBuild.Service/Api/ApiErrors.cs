using DataBuild.Engine;
using DataBuild.Graphs;
using DataBuild.Refs;
using Grpc.Core;

namespace DataBuild.Service.Api;

/// <summary>
/// Turns bad input into a gRPC status naming the field and why. Over HTTP/JSON the field travels in the
/// request's items to <see cref="ProblemDetailsMiddleware"/>, which answers 400 with a problem-details body.
/// </summary>
internal static class ApiErrors
{
    public const string FieldItem = "databuild.field";

    public static RpcException Invalid(ServerCallContext context, string field, string why)
    {
        if (context.GetHttpContext() is { } http) http.Items[FieldItem] = field;
        return new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: {why}"));
    }

    public static RpcException NotFound(string what) => new(new Status(StatusCode.NotFound, what));

    public static RpcException Conflict(string why) => new(new Status(StatusCode.FailedPrecondition, why));

    /// <summary>Ranges and sets expanded, each ref valid and, when <paramref name="graph"/> is given, produced by exactly one job or read from an upstream graph.</summary>
    public static IReadOnlyList<string> Refs(ServerCallContext context, string field, IReadOnlyList<string> refs, BuildEngine? graph, int max)
    {
        if (refs.Count == 0) throw Invalid(context, field, "name at least one partition ref");
        if (refs.Count > max) throw Invalid(context, field, $"at most {max} partition refs per request, got {refs.Count}");
        refs = Expand(context, field, refs, max);
        if (graph is not null)
        {
            try
            {
                graph.Lookup.Lookup(refs.Where(r => graph.Graph.UpstreamOf(r) is null));
            }
            catch (LookupException e)
            {
                var first = e.Problems[0];
                var index = IndexOf(refs, first.Ref);
                throw Invalid(context, index >= 0 ? $"{field}[{index}]" : field, e.Problems.Count == 1 ? first.Message : e.Message);
            }
        }
        return refs.Distinct(StringComparer.Ordinal).ToArray();
    }

    // Ranges and sets expanded (RefExpansion), each template's problem named at its index, at most `max` refs in all.
    private static IReadOnlyList<string> Expand(ServerCallContext context, string field, IReadOnlyList<string> templates, int max)
    {
        var refs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            try
            {
                var template = RefTemplate.Parse(templates[i]);
                if (refs.Count + template.Count > max)
                    throw Invalid(context, field, $"at most {max} partition refs per request, and these expand to more");
                foreach (var expanded in template.Expand())
                    if (seen.Add(expanded.Ref)) refs.Add(expanded.Ref);
            }
            catch (InvalidRefTemplateException e)
            {
                throw Invalid(context, $"{field}[{i}]", e.Message);
            }
            catch (InvalidPartitionRefException e)
            {
                throw Invalid(context, $"{field}[{i}]", $"invalid partition ref '{Printable(e.Value)}': {e.Problem}");
            }
        }
        return refs;
    }

    /// <summary>Each a valid glob (DESIGN.md §2).</summary>
    public static IReadOnlyList<string> Patterns(ServerCallContext context, string field, IReadOnlyList<string> patterns)
    {
        if (patterns.Count > MaxFilterValues) throw Invalid(context, field, $"at most {MaxFilterValues} values, got {patterns.Count}");
        for (var i = 0; i < patterns.Count; i++)
            if (!PartitionPattern.TryParse(patterns[i], out _, out var problem))
                throw Invalid(context, $"{field}[{i}]", $"invalid pattern '{Printable(patterns[i])}': {problem}");
        return patterns;
    }

    public const int MaxFilterValues = 100;

    /// <summary>Plain filter values (labels, ids): at most <see cref="MaxFilterValues"/>, none empty.</summary>
    public static IReadOnlyList<string> Values(ServerCallContext context, string field, IReadOnlyList<string> values)
    {
        if (values.Count > MaxFilterValues) throw Invalid(context, field, $"at most {MaxFilterValues} values, got {values.Count}");
        for (var i = 0; i < values.Count; i++)
            if (values[i].Length == 0 || values[i].Length > PartitionRefs.MaxLength)
                throw Invalid(context, $"{field}[{i}]", values[i].Length == 0 ? "must not be empty" : $"longer than {PartitionRefs.MaxLength} characters");
        return values;
    }

    /// <summary>A page size: <paramref name="fallback"/> when 0, else 1 to <paramref name="max"/>.</summary>
    public static int PageSize(ServerCallContext context, string field, int given, int fallback, int max)
    {
        if (given == 0) return fallback;
        if (given < 0 || given > max) throw Invalid(context, field, $"must be between 1 and {max}, got {given}");
        return given;
    }

    /// <summary>A job run or build request id: a UUID, as DataBuild writes them.</summary>
    public static string Id(ServerCallContext context, string field, string value)
    {
        if (!Guid.TryParseExact(value, "D", out var id) || id.ToString() != value)
            throw Invalid(context, field, $"'{Printable(value)}' is not an id; ids are lower-case UUIDs like 0190f5c2-7b1a-7c3e-9d4f-2a6b8c0e1f3a");
        return value;
    }

    private static int IndexOf(IReadOnlyList<string> refs, string value)
    {
        for (var i = 0; i < refs.Count; i++)
            if (refs[i] == value) return i;
        return -1;
    }

    private static string Printable(string value)
    {
        var shown = value.Length > 120 ? value[..120] + "…" : value;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
