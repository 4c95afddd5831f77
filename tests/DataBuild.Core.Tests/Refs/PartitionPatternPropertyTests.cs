using System.Text;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

public sealed class PartitionPatternPropertyTests
{
    private const int Cases = 400;

    [Fact]
    public void A_valid_ref_is_a_literal_pattern_that_matches_only_itself()
    {
        var generator = new RefGenerator(seed: 11);
        for (var i = 0; i < Cases; i++)
        {
            var value = generator.Ref();
            var pattern = PartitionPattern.Parse(value);

            Assert.True(pattern.IsLiteral);
            Assert.Equal(value, pattern.LiteralPrefix);
            Assert.True(pattern.IsMatch(value));
            Assert.False(pattern.IsMatch(value + "x"));
            Assert.False(pattern.IsMatch(value[..^1]));
        }
    }

    [Fact]
    public void Replacing_values_with_captures_matches_the_ref_and_captures_the_values()
    {
        var generator = new RefGenerator(seed: 12);
        for (var i = 0; i < Cases; i++)
        {
            var segments = generator.Segments();
            var expected = new Dictionary<string, string>();
            var patternSegments = segments.Select(segment =>
            {
                var equals = segment.IndexOf('=');
                if (equals < 0 || generator.Random.Next(4) == 0) return segment;
                var name = $"c{expected.Count}";
                expected[name] = segment[(equals + 1)..];
                return $"{segment[..(equals + 1)]}{{{name}}}";
            });
            var value = string.Join('/', segments);
            var pattern = PartitionPattern.Parse(string.Join('/', patternSegments));

            Assert.Equal(expected.Keys, pattern.CaptureNames);
            Assert.Equal(expected, pattern.Match(value));
            Assert.True(pattern.IsMatch(value));
        }
    }

    [Fact]
    public void A_star_matches_within_one_segment_and_a_double_star_across_segments()
    {
        var generator = new RefGenerator(seed: 13);
        for (var i = 0; i < Cases; i++)
        {
            var segments = generator.Segments(maxSegments: 6);
            if (segments.Count < 2) continue;
            var at = generator.Random.Next(segments.Count - 1);
            var value = string.Join('/', segments);

            Assert.True(PartitionPattern.Parse(Replace(segments, at, 1, "*")).IsMatch(value));
            Assert.False(PartitionPattern.Parse(Replace(segments, at, 2, "*")).IsMatch(value));
            Assert.True(PartitionPattern.Parse(Replace(segments, at, 2, "**")).IsMatch(value));
            Assert.True(PartitionPattern.Parse("**").IsMatch(value));
            Assert.False(PartitionPattern.Parse("*").IsMatch(value));
        }
    }

    [Fact]
    public void Every_instance_of_a_pattern_matches_it_and_starts_with_its_literal_prefix()
    {
        var generator = new RefGenerator(seed: 14);
        for (var i = 0; i < Cases; i++)
        {
            var parts = RandomPatternParts(generator);
            var pattern = PartitionPattern.Parse(string.Concat(parts));
            for (var j = 0; j < 5; j++)
            {
                var instance = Instantiate(generator, parts);
                Assert.True(pattern.IsMatch(instance), $"'{pattern}' does not match its instance '{instance}'");
                Assert.StartsWith(pattern.LiteralPrefix, instance, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_ref_that_does_not_start_with_the_literal_prefix_never_matches()
    {
        var generator = new RefGenerator(seed: 15);
        for (var i = 0; i < Cases; i++)
        {
            var pattern = PartitionPattern.Parse(string.Concat(RandomPatternParts(generator)));
            var value = generator.Ref();
            if (!value.StartsWith(pattern.LiteralPrefix, StringComparison.Ordinal)) Assert.False(pattern.IsMatch(value), $"'{pattern}' matched '{value}'");
        }
    }

    [Fact]
    public void A_pattern_ending_in_literal_text_does_not_match_an_instance_followed_by_a_line_break()
    {
        var generator = new RefGenerator(seed: 16);
        for (var i = 0; i < Cases; i++)
        {
            var parts = RandomPatternParts(generator);
            if (parts[^1] is "" or "*" or "**" || parts[^1].StartsWith('{')) continue;
            var pattern = PartitionPattern.Parse(string.Concat(parts));
            var instance = Instantiate(generator, parts);
            Assert.True(pattern.IsMatch(instance));
            Assert.False(pattern.IsMatch(instance + "\n"), $"'{pattern}' matched '{instance}' followed by a line break");
        }
    }

    private static string Replace(List<string> segments, int at, int count, string wildcard) =>
        string.Join('/', segments.Take(at).Append(wildcard).Concat(segments.Skip(at + count)));

    /// <summary>A pattern as a list of parts: literal segments and parts of segments, <c>{name}</c>, <c>*</c> and <c>**</c>.</summary>
    private static List<string> RandomPatternParts(RefGenerator generator)
    {
        var parts = new List<string>();
        var captures = 0;
        var segments = generator.Random.Next(1, 5);
        for (var s = 0; s < segments; s++)
        {
            if (s > 0) parts.Add("/");
            switch (generator.Random.Next(6))
            {
                case 0:
                    parts.Add("**");
                    break;
                case 1:
                    parts.Add(generator.Key() + "=");
                    parts.Add($"{{c{captures++}}}");
                    break;
                case 2:
                    parts.Add(generator.Text(0, 3));
                    parts.Add("*");
                    parts.Add(generator.Text(0, 3));
                    break;
                default:
                    parts.Add(generator.Segment());
                    break;
            }
        }
        return parts;
    }

    /// <summary>A string the pattern must match: each wildcard replaced with text it stands for.</summary>
    private static string Instantiate(RefGenerator generator, List<string> parts)
    {
        var value = new StringBuilder();
        foreach (var part in parts)
        {
            value.Append(part switch
            {
                "**" => generator.Random.Next(3) == 0 ? "" : generator.Ref(maxSegments: 3),
                "*" => generator.Text(0, 6),
                _ when part.StartsWith('{') => generator.Segment(),
                _ => part,
            });
        }
        return value.ToString();
    }
}
