namespace DataBuild.Refs;

/// <summary>Validation of partition refs (docs/concepts.md#partition-refs).</summary>
public static class PartitionRefs
{
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="value"/> is not a valid ref, or null when it is.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "a partition ref must not be empty";
        if (value.Length > MaxLength) return $"a partition ref must be at most {MaxLength} characters, this one has {value.Length}";
        if (value[0] == '/') return "a partition ref must not start with '/'";
        if (value[0] == '-') return LeadingDash;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c)) return $"a partition ref must not contain whitespace (position {i})";
            if (char.IsControl(c)) return $"a partition ref must not contain control characters (position {i})";
            if (c == ';') return Semicolon(i);
            if (IsUnpairedSurrogate(value, i)) return $"a partition ref must be valid Unicode: an unpaired surrogate at position {i}";
        }
        if (RefExpansion.FirstGroup(value) is var group and >= 0) return Group(group);
        if (UnicodeNfc.FirstNotNfc(value) is var notNfc and >= 0) return NotNfc(notNfc);
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

    // The job contract joins a run's outputs with ';' (DATABUILD_OUTPUTS) and MSBuild lists split on it, so a
    // ref holding one would read as two; a leading '-' would reach a job's command line as an option.
    internal static string Semicolon(int position) =>
        $"a partition ref must not contain ';' (position {position}): it separates refs in DATABUILD_OUTPUTS and in MSBuild lists";

    // A range or set names many refs (RefExpansion); a ref holding one would read as a request for all of them.
    internal static string Group(int position) =>
        $"a partition ref must not contain a range or set ('{{' at position {position} opens one: '..' or ',' between braces); " +
        "ranges and sets are written in requested refs, which DataBuild expands into refs";

    internal const string LeadingDash = "a partition ref must not start with '-' (position 0): a job would take it for an option";

    // 'é' written as one code point (NFC) or as 'e' plus a combining accent (NFD) looks the same but would be
    // two partitions; refs are compared as written, so only one spelling is accepted.
    internal static string NotNfc(int position) =>
        $"a partition ref must be in Unicode normalization form C (NFC): the character at position {position} is written " +
        "as NFC never writes it (decomposed, as NFD does, or a compatibility form); normalize the ref to NFC";

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
