using PodcastReviews.Records;

namespace PodcastReviews.RawReviews.Generator;

/// <summary>What the generator makes: the podcasts, and their reviews in time order.</summary>
public sealed record SourceData(IReadOnlyList<Podcast> Podcasts, IReadOnlyList<Review> Reviews);
