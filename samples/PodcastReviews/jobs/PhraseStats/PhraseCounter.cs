using System.Text;
using PodcastReviews.Records;

namespace PodcastReviews.PhraseStats;

/// <summary>
/// Counts the two- and three-word phrases in review texts. Phrases never span punctuation (a phrase is said in
/// one breath), nor start or end with a filler word such as "the" or "and", so what remains reads like a
/// phrase: "great show", "too many ads".
/// </summary>
public static class PhraseCounter
{
    public const int MinWords = 2;

    public const int MaxWords = 3;

    /// <summary>A phrase said only once in a day says nothing about the day.</summary>
    public const int MinCount = 2;

    private static readonly HashSet<string> FillerWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "from", "by", "with", "about", "as",
        "into", "up", "out", "so", "than", "then", "i", "i'm", "i've", "me", "my", "we", "our", "you", "your", "he", "she",
        "it", "it's", "its", "they", "them", "their", "this", "that", "these", "those", "is", "are", "was", "were", "be",
        "been", "has", "have", "had", "do", "does", "did", "will", "just", "very", "really", "who", "every", "all", "there",
    };

    /// <summary>
    /// Phrases said at least <see cref="MinCount"/> times across <paramref name="texts"/>, most frequent first,
    /// ties in ordinal order of the phrase. Overlapping occurrences count ("ha ha ha" holds "ha ha" twice).
    /// </summary>
    public static IReadOnlyList<PhraseCount> Count(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var clause in texts.SelectMany(Clauses))
        {
            var words = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(word => word.Trim('\''))
                .Where(word => word.Length > 0)
                .ToArray();
            for (var length = MinWords; length <= MaxWords; length++)
            {
                for (var start = 0; start + length <= words.Length; start++)
                {
                    if (FillerWords.Contains(words[start]) || FillerWords.Contains(words[start + length - 1])) continue;
                    var phrase = string.Join(' ', words, start, length);
                    counts[phrase] = counts.GetValueOrDefault(phrase) + 1;
                }
            }
        }
        return counts
            .Where(c => c.Value >= MinCount)
            .Select(c => new PhraseCount(c.Key, c.Key.Count(ch => ch == ' ') + 1, c.Value))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Phrase, StringComparer.Ordinal)
            .ToList();
    }

    // Lower-cased runs of letters, digits, apostrophes and spaces: everything else ends a clause.
    private static IEnumerable<string> Clauses(string text)
    {
        var clause = new StringBuilder();
        foreach (var c in text)
        {
            // A typographic apostrophe is the same apostrophe as far as phrases go: "can’t" is "can't".
            var ch = c == '\u2019' ? '\'' : char.ToLowerInvariant(c);
            if (char.IsLetterOrDigit(ch) || ch == '\'') clause.Append(ch);
            else if (char.IsWhiteSpace(ch)) clause.Append(' ');
            else if (clause.Length > 0)
            {
                yield return clause.ToString();
                clause.Clear();
            }
        }
        if (clause.Length > 0) yield return clause.ToString();
    }
}
