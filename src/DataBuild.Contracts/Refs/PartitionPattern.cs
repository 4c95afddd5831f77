using System.Text;
using System.Text.RegularExpressions;

namespace DataBuild.Refs;

/// <summary>
/// A pattern over partition refs (DESIGN.md §2): <c>{name}</c> matches one segment part (<c>[^/]+</c>) and
/// captures it, <c>*</c> matches <c>[^/]*</c>, <c>**</c> matches anything including <c>/</c>; everything
/// else is literal. Job outputs and event-filter globs share this one syntax.
/// </summary>
public sealed class PartitionPattern
{
    private readonly Regex _regex;

    private PartitionPattern(string text, Regex regex, IReadOnlyList<string> captureNames, string literalPrefix, bool isLiteral)
    {
        Text = text;
        _regex = regex;
        CaptureNames = captureNames;
        LiteralPrefix = literalPrefix;
        IsLiteral = isLiteral;
    }

    public string Text { get; }

    /// <summary>The names of the <c>{name}</c> captures, in order of appearance.</summary>
    public IReadOnlyList<string> CaptureNames { get; }

    /// <summary>The literal text before the first wildcard: every match starts with it (useful for index range scans).</summary>
    public string LiteralPrefix { get; }

    /// <summary>True when the pattern has no wildcard: it matches exactly one ref.</summary>
    public bool IsLiteral { get; }

    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="InvalidPatternException"/> naming the problem.</summary>
    public static PartitionPattern Parse(string text)
    {
        if (string.IsNullOrEmpty(text)) throw new InvalidPatternException(text ?? "", "a pattern must not be empty");
        if (text[0] == '/') throw new InvalidPatternException(text, "a pattern must not start with '/'");
        if (text.Length > PartitionRefs.MaxLength) throw new InvalidPatternException(text, $"a pattern must be at most {PartitionRefs.MaxLength} characters");
        var regex = new StringBuilder("^");
        var names = new List<string>();
        var literal = new StringBuilder();
        var prefix = (string?)null;
        var doubleStars = 0;
        var wildcardsInSegment = 0;
        var mostWildcardsInASegment = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                throw new InvalidPatternException(text, $"whitespace or a control character at position {i}");
            if (PartitionRefs.IsUnpairedSurrogate(text, i))
                throw new InvalidPatternException(text, $"an unpaired surrogate at position {i}: a pattern must be valid Unicode");
            if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close < 0) throw new InvalidPatternException(text, $"'{{' at position {i} is never closed");
                var name = text[(i + 1)..close];
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') || char.IsAsciiDigit(name[0]))
                    throw new InvalidPatternException(text, $"'{{{name}}}' at position {i}: a capture name is a letter or '_' followed by letters, digits or '_'");
                if (names.Contains(name)) throw new InvalidPatternException(text, $"the capture '{{{name}}}' appears twice");
                names.Add(name);
                prefix ??= literal.ToString();
                mostWildcardsInASegment = Math.Max(mostWildcardsInASegment, ++wildcardsInSegment);
                regex.Append("(?<").Append(name).Append(">[^/]+)");
                i = close;
            }
            else if (c == '}')
            {
                throw new InvalidPatternException(text, $"'}}' at position {i} has no opening '{{'");
            }
            else if (c == '*')
            {
                prefix ??= literal.ToString();
                if (i + 1 < text.Length && text[i + 1] == '*')
                {
                    regex.Append(".*");
                    doubleStars++;
                    i++;
                }
                else
                {
                    regex.Append("[^/]*");
                    mostWildcardsInASegment = Math.Max(mostWildcardsInASegment, ++wildcardsInSegment);
                }
            }
            else
            {
                if (c == '/') wildcardsInSegment = 0;
                literal.Append(c);
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        // \z, not $: '$' also matches before a final newline, so "a*b" would match "ab\n". Singleline makes
        // the '.' of '**' match anything, as '[^/]' already does for '*'.
        regex.Append(@"\z");
        CheckSegments(text);
        var isLiteral = prefix is null;
        return new PartitionPattern(text, new Regex(regex.ToString(), EngineOptions(doubleStars + mostWildcardsInASegment)),
            names, prefix ?? text, isLiteral);
    }

    // Wildcards that can take the same characters (several in one segment, or any '**', which spans
    // segments) make the backtracking engine try every split between them: with k of them a failing match
    // costs about length^k steps, and '**a**a**b' against a few hundred characters runs for minutes. Up to
    // two is at most a million steps on a 1024-character ref. Beyond that the non-backtracking engine
    // guarantees linear time, with the same matches and captures, but it costs milliseconds to build where
    // the backtracking one costs microseconds, so only patterns that need it get it.
    private static RegexOptions EngineOptions(int overlappingWildcards) =>
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Singleline | (overlappingWildcards >= 3 ? RegexOptions.NonBacktracking : RegexOptions.None);

    /// <summary>True when <paramref name="text"/> parses; <paramref name="problem"/> says why not.</summary>
    public static bool TryParse(string text, out PartitionPattern? pattern, out string? problem)
    {
        try
        {
            pattern = Parse(text);
            problem = null;
            return true;
        }
        catch (InvalidPatternException e)
        {
            pattern = null;
            problem = e.Problem;
            return false;
        }
    }

    public bool IsMatch(string partitionRef) => IsLiteral ? partitionRef == Text : _regex.IsMatch(partitionRef);

    /// <summary>Matches <paramref name="partitionRef"/> and returns its captures, or null when it does not match.</summary>
    public IReadOnlyDictionary<string, string>? Match(string partitionRef)
    {
        if (IsLiteral) return partitionRef == Text ? new Dictionary<string, string>() : null;
        var match = _regex.Match(partitionRef);
        if (!match.Success) return null;
        var captures = new Dictionary<string, string>(CaptureNames.Count);
        foreach (var name in CaptureNames) captures[name] = match.Groups[name].Value;
        return captures;
    }

    // Empty, '.' and '..' segments can never match a valid ref, so a pattern containing one is a mistake.
    private static void CheckSegments(string text)
    {
        foreach (var segment in text.Split('/'))
        {
            if (segment.Length == 0) throw new InvalidPatternException(text, "a pattern must not contain an empty segment ('//' or a trailing '/')");
            if (segment is "." or "..") throw new InvalidPatternException(text, "a pattern must not contain a '.' or '..' segment");
        }
    }
}

public sealed class InvalidPatternException(string pattern, string problem)
    : FormatException($"invalid pattern '{InvalidPartitionRefException.Printable(pattern)}': {problem}")
{
    public string Pattern { get; } = pattern;
    public string Problem { get; } = problem;
}
