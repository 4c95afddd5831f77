using System.Text;

namespace DataBuild.Core.Tests.Refs;

/// <summary>
/// Seeded random partition refs for property tests. Refs use characters that pattern syntax treats as
/// literal, regex metacharacters and non-ASCII letters included, so a ref is also a literal pattern.
/// </summary>
internal sealed class RefGenerator(int seed)
{
    private const string SegmentCharacters = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_.:,+@%~$()[]^|?!#&'\\éü日本";

    public Random Random { get; } = new(seed);

    public string Segment(int maxLength = 10)
    {
        while (true)
        {
            var segment = Text(1, maxLength);
            if (segment is not ("." or "..")) return segment;
        }
    }

    /// <summary>
    /// Characters that may stand anywhere in a segment, possibly none. Text never starts with '-', which a ref
    /// may not start with, so any text may begin a ref or a pattern.
    /// </summary>
    public string Text(int minLength, int maxLength)
    {
        var length = Random.Next(minLength, maxLength + 1);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            var c = SegmentCharacters[Random.Next(SegmentCharacters.Length)];
            if (text.Length > 0 || c != '-') text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>A ref of 1 to <paramref name="maxSegments"/> segments, about half of them <c>key=value</c>.</summary>
    public string Ref(int maxSegments = 5) => string.Join('/', Segments(maxSegments));

    public List<string> Segments(int maxSegments = 5) =>
        Enumerable.Range(0, Random.Next(1, maxSegments + 1))
            .Select(_ => Random.Next(2) == 0 ? $"{Key()}={Segment()}" : Segment())
            .ToList();

    public string Key() => "k" + Text(0, 4).Replace("=", "");

    public int Position(string value) => Random.Next(value.Length + 1);

    public T Pick<T>(IReadOnlyList<T> values) => values[Random.Next(values.Count)];
}
