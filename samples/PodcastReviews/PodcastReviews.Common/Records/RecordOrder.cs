namespace PodcastReviews.Records;

/// <summary>
/// The one order records are kept in wherever order is free to choose, so equal data always gives equal
/// files. Text compares ordinally, which for the ASCII the generator writes is also SQLite's byte order
/// (<see cref="Raw.RawReviewsSchema.ReviewOrder"/>).
/// </summary>
public static class RecordOrder
{
    public static readonly IComparer<Review> Reviews = Comparer<Review>.Create((a, b) =>
    {
        var order = string.CompareOrdinal(a.CreatedAt, b.CreatedAt);
        if (order == 0) order = string.CompareOrdinal(a.PodcastId, b.PodcastId);
        if (order == 0) order = string.CompareOrdinal(a.Title, b.Title);
        if (order == 0) order = string.CompareOrdinal(a.Body, b.Body);
        return order != 0 ? order : a.Rating.CompareTo(b.Rating);
    });

    public static readonly IComparer<Podcast> Podcasts = Comparer<Podcast>.Create((a, b) =>
    {
        var order = string.CompareOrdinal(a.PodcastId, b.PodcastId);
        return order != 0 ? order : string.CompareOrdinal(a.Title, b.Title);
    });
}
