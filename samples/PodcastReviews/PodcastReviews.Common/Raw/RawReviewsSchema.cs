namespace PodcastReviews.Raw;

/// <summary>
/// The raw reviews database: a SQLite file with the tables and columns of the public podcast reviews data
/// set (podcasts, categories, reviews; a review's body is its <c>content</c>). Extra columns a real copy
/// has are ignored, so that file drops in as a source as it is.
/// </summary>
public static class RawReviewsSchema
{
    public const string CreateTables = """
        CREATE TABLE podcasts (podcast_id TEXT NOT NULL, title TEXT NOT NULL);
        CREATE TABLE categories (podcast_id TEXT NOT NULL, category TEXT NOT NULL);
        CREATE TABLE reviews (podcast_id TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL, rating INTEGER NOT NULL, created_at TEXT NOT NULL);
        """;

    // Created after the rows are in: one pass instead of an index update per row.
    public const string CreateIndexes = """
        CREATE INDEX reviews_by_created_at ON reviews (created_at);
        CREATE INDEX categories_by_podcast ON categories (podcast_id);
        """;

    /// <summary>The order rows are stored in, so the same rows always give the same file.</summary>
    public const string PodcastOrder = "podcast_id, title";

    public const string CategoryOrder = "podcast_id, category";

    public const string ReviewOrder = "created_at, podcast_id, title, content, rating";
}
