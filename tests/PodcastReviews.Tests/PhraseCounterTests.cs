using PodcastReviews.PhraseStats;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public class PhraseCounterTests
{
    [Fact]
    public void Counts_two_and_three_word_phrases_said_at_least_twice_most_frequent_first()
    {
        var phrases = PhraseCounter.Count(["Way too many ads.", "Too many ads, sadly.", "Many ads!"]);

        Assert.Equal(
            [new PhraseCount("many ads", 2, 3), new PhraseCount("too many", 2, 2), new PhraseCount("too many ads", 3, 2)],
            phrases);
    }

    [Fact]
    public void A_phrase_never_spans_punctuation()
    {
        var phrases = PhraseCounter.Count(["Great. Show", "great, show", "great show"]);

        Assert.Empty(phrases);
    }

    [Fact]
    public void A_phrase_neither_starts_nor_ends_with_a_filler_word()
    {
        var phrases = PhraseCounter.Count(["The hosts are funny", "the hosts are funny"]);

        Assert.Equal([new PhraseCount("hosts are funny", 3, 2)], phrases);
    }

    [Fact]
    public void Case_and_typographic_apostrophes_make_no_new_phrase()
    {
        var phrases = PhraseCounter.Count(["Can\u2019t WAIT", "can't wait"]);

        Assert.Equal([new PhraseCount("can't wait", 2, 2)], phrases);
    }

    [Fact]
    public void Overlapping_occurrences_all_count()
    {
        var phrases = PhraseCounter.Count(["ha ha ha"]);

        Assert.Equal([new PhraseCount("ha ha", 2, 2)], phrases);
    }
}
