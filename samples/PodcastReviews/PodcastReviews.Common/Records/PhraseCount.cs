namespace PodcastReviews.Records;

/// <summary>How often a phrase of <see cref="Words"/> words occurs in a set of reviews.</summary>
public sealed record PhraseCount(string Phrase, int Words, int Count);
