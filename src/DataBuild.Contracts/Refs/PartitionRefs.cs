namespace DataBuild.Refs;

/// <summary>Validation of partition refs (DESIGN.md §2).</summary>
public static class PartitionRefs
{
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="value"/> is not a valid ref, or null when it is.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "a partition ref must not be empty";
        if (value.Length > MaxLength) return $"a partition ref must be at most {MaxLength} characters, this one has {value.Length}";
        if (value[0] == '/') return "a partition ref must not start with '/'";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c)) return $"a partition ref must not contain whitespace (position {i})";
            if (char.IsControl(c)) return $"a partition ref must not contain control characters (position {i})";
            if (IsUnpairedSurrogate(value, i)) return $"a partition ref must be valid Unicode: an unpaired surrogate at position {i}";
        }
        var start = 0;
        while (start <= value.Length)
        {
            var end = value.IndexOf('/', start);
            if (end < 0) end = value.Length;
            var segmentLength = end - start;
            if (segmentLength == 0) return "a partition ref must not contain an empty segment ('//' or a trailing '/')";
            if (segmentLength <= 2 && value.AsSpan(start, segmentLength).Trim('.').IsEmpty)
                return "a partition ref must not contain a '.' or '..' segment";
            start = end + 1;
        }
        return null;
    }

    public static bool IsValid(string? value) => Problem(value) is null;

    // Refs travel as UTF-8 (protobuf, SQLite, JSON), where a lone surrogate becomes U+FFFD: the ref read
    // back would not be the ref written.
    internal static bool IsUnpairedSurrogate(string value, int i) =>
        char.IsHighSurrogate(value[i]) ? i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])
        : char.IsLowSurrogate(value[i]) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));

    /// <summary>Throws <see cref="InvalidPartitionRefException"/> naming the ref when it is invalid.</summary>
    public static string Validate(string? value)
    {
        var problem = Problem(value);
        if (problem is not null) throw new InvalidPartitionRefException(value ?? "", problem);
        return value!;
    }
}

public sealed class InvalidPartitionRefException(string value, string problem)
    : FormatException($"invalid partition ref '{Printable(value)}': {problem}")
{
    public string Value { get; } = value;
    public string Problem { get; } = problem;

    /// <summary>A value as messages show it: at most 120 characters, control characters escaped.</summary>
    public static string Printable(string value)
    {
        var shown = value.Length > 120 ? value[..120] + "…" : value;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
