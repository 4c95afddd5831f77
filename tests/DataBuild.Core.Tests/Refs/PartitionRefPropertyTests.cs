using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

public sealed class PartitionRefPropertyTests
{
    private const int Cases = 500;

    [Fact]
    public void Every_generated_valid_ref_is_accepted()
    {
        var generator = new RefGenerator(seed: 1);
        for (var i = 0; i < Cases; i++)
        {
            var value = generator.Ref();
            Assert.True(PartitionRefs.Problem(value) is null, $"'{value}' was refused: {PartitionRefs.Problem(value)}");
            Assert.Equal(value, PartitionRefs.Validate(value));
        }
    }

    [Fact]
    public void A_ref_of_exactly_the_maximum_length_is_accepted_and_one_more_is_refused()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('a', 99), 10)) + "/" + new string('b', 24);

        Assert.Equal(PartitionRefs.MaxLength, longest.Length);
        Assert.True(PartitionRefs.IsValid(longest));
        Assert.Contains("at most 1024", PartitionRefs.Problem(longest + "c"));
    }

    public static TheoryData<string> MutationNames => new(Mutations.Keys);

    [Theory]
    [MemberData(nameof(MutationNames))]
    public void A_mutated_ref_is_refused_with_a_message(string mutation)
    {
        var generator = new RefGenerator(seed: mutation.Length);
        for (var i = 0; i < Cases; i++)
        {
            var original = generator.Ref();
            var (mutated, expectedProblem) = Mutations[mutation](generator, original);

            var problem = PartitionRefs.Problem(mutated);
            Assert.True(problem is not null, $"'{mutated}' ({mutation} of '{original}') was accepted");
            Assert.Contains(expectedProblem, problem);
            var error = Assert.Throws<InvalidPartitionRefException>(() => PartitionRefs.Validate(mutated));
            Assert.Contains(problem, error.Message);
            Assert.DoesNotContain(error.Message, c => char.IsControl(c));
        }
    }

    private static readonly Dictionary<string, Func<RefGenerator, string, (string Mutated, string ExpectedProblem)>> Mutations = new()
    {
        ["whitespace inserted"] = (g, r) => (r.Insert(g.Position(r), g.Pick([" ", "\t", "\u00a0", "\u2003", "\u3000"])), "whitespace"),
        ["line break inserted"] = (g, r) => (r.Insert(g.Position(r), g.Pick(["\n", "\r", "\u2028"])), "whitespace"),
        ["control character inserted"] = (g, r) => (r.Insert(g.Position(r), g.Pick(["\0", "\u0001", "\u001b", "\u007f", "\u0080", "\u009f"])), "control"),
        ["empty segment inserted"] = (g, r) => (InsertAtSegmentBoundary(g, r, "//"), "empty segment"),
        ["trailing slash"] = (_, r) => (r + "/", "empty segment"),
        ["dot segment inserted"] = (g, r) => (InsertAtSegmentBoundary(g, r, g.Pick(["/./", "/../"])), "'.' or '..'"),
        ["dot segment at the start"] = (g, r) => (g.Pick(["./", "../"]) + r, "'.' or '..'"),
        ["leading slash"] = (_, r) => ("/" + r, "start with '/'"),
        ["over-long"] = (g, r) => (string.Join('/', Enumerable.Repeat(r, PartitionRefs.MaxLength / r.Length + 2)), "at most"),
        ["unpaired surrogate inserted"] = (g, r) => (r.Insert(g.Position(r), g.Pick(["\ud800", "\udfff"])), "surrogate"),
        ["semicolon inserted"] = (g, r) => (r.Insert(g.Position(r), ";"), "must not contain ';'"),
        ["leading dash"] = (_, r) => ("-" + r, "must not start with '-' (position 0)"),
        ["accent decomposed"] = (g, r) => (r.Insert(g.Position(r), "e\u0301"), "normalization form C (NFC)"),
    };

    // Splices text in where a '/' is (or at the end), so the mutation lands between segments.
    private static string InsertAtSegmentBoundary(RefGenerator generator, string value, string text)
    {
        var slashes = Enumerable.Range(0, value.Length).Where(i => value[i] == '/').Append(value.Length).ToList();
        var at = generator.Pick(slashes);
        return at == value.Length ? value + text[..^1] + "/x" : value[..at] + text + value[(at + 1)..];
    }
}
