using System.Text.Json.Serialization;

namespace PodcastReviews.Records;

/// <summary>
/// One listener review: a rating from 1 to 5 stars, a title and a body. <see cref="CreatedAt"/> is an ISO 8601
/// timestamp such as <c>2020-01-01T13:05:59Z</c>.
/// </summary>
public sealed record Review(string PodcastId, string Title, string Body, int Rating, string CreatedAt)
{
    /// <summary>The calendar date as written in <see cref="CreatedAt"/>: the day the reviewer saw.</summary>
    [JsonIgnore]
    public string Date => CreatedAt[..PartitionValues.DateFormat.Length];
}
