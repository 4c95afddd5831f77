namespace PodcastReviews.Records;

/// <summary>
/// One listener review: a rating from 1 to 5 stars, a title and a body. <see cref="CreatedAt"/> is an ISO 8601
/// timestamp such as <c>2020-01-01T13:05:59Z</c>; the review's date is the one written at its start.
/// </summary>
public sealed record Review(string PodcastId, string Title, string Body, int Rating, string CreatedAt);
