namespace PodcastReviews.Records;

/// <summary>A podcast and the categories it is listed under, in ordinal order.</summary>
public sealed record Podcast(string PodcastId, string Title, IReadOnlyList<string> Categories);
