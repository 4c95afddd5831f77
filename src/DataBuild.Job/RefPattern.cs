using System.Text;
using System.Text.RegularExpressions;

namespace DataBuild.Job;

/// <summary>
/// A partition ref pattern such as <c>reviews/date={date}</c> (DESIGN.md §2): <c>{name}</c> matches one
/// segment part (<c>[^/]+</c>) and captures it, <c>*</c> matches <c>[^/]*</c>, <c>**</c> matches anything,
/// <c>/</c> included; everything else is literal. Lets a job read the values out of the refs it is given.
/// </summary>
public sealed class RefPattern
{
    private readonly Regex _regex;
    private readonly IReadOnlyList<string> _captureNames;

    /// <exception cref="FormatException"><paramref name="pattern"/> is not a valid pattern.</exception>
    public RefPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0) throw Invalid(pattern, "a pattern must not be empty");
        var regex = new StringBuilder("^");
        var names = new List<string>();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '{':
                    var close = pattern.IndexOf('}', i + 1);
                    if (close < 0) throw Invalid(pattern, $"'{{' at position {i} is never closed");
                    var name = pattern[(i + 1)..close];
                    if (!IsCaptureName(name)) throw Invalid(pattern, $"'{{{name}}}': a capture name is a letter or '_' followed by letters, digits or '_'");
                    if (names.Contains(name)) throw Invalid(pattern, $"the capture '{{{name}}}' appears twice");
                    names.Add(name);
                    regex.Append("(?<").Append(name).Append(">[^/]+)");
                    i = close;
                    break;
                case '}':
                    throw Invalid(pattern, $"'}}' at position {i} has no opening '{{'");
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
            }
        }
        _regex = new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
        _captureNames = names;
        Text = pattern;
    }

    public string Text { get; }

    public override string ToString() => Text;

    public bool IsMatch(string partitionRef) => _regex.IsMatch(partitionRef);

    /// <summary>The <c>{name}</c> values in <paramref name="partitionRef"/>, by name.</summary>
    /// <exception cref="FormatException"><paramref name="partitionRef"/> does not match this pattern.</exception>
    public IReadOnlyDictionary<string, string> Captures(string partitionRef)
    {
        var match = _regex.Match(partitionRef);
        if (!match.Success) throw new FormatException($"'{partitionRef}' does not match the pattern '{Text}'");
        return _captureNames.ToDictionary(name => name, name => match.Groups[name].Value);
    }

    private static bool IsCaptureName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static FormatException Invalid(string pattern, string problem) => new($"invalid pattern '{pattern}': {problem}");
}
