namespace PodcastReviews.Records;

/// <summary>A review of a podcast in some category, with the podcast's title joined in.</summary>
public sealed record CategorizedReview(string PodcastId, string PodcastTitle, string Title, string Body, int Rating, string CreatedAt);
