using Microsoft.Data.Sqlite;
using PodcastReviews.Records;

namespace PodcastReviews.Raw;

/// <summary>Reads podcasts and reviews out of a raw reviews database (<see cref="RawReviewsSchema"/>).</summary>
public sealed class RawReviewsReader : IDisposable
{
    private readonly SqliteConnection _connection;

    public RawReviewsReader(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no raw reviews database at {path}", path);
        // Unpooled, so the file is closed on Dispose and can be replaced or deleted right after.
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        _connection.Open();
    }

    /// <summary>Every podcast with its categories, by podcast id; a podcast without categories has none.</summary>
    public IReadOnlyList<Podcast> Podcasts()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT p.podcast_id, p.title, c.category
            FROM podcasts p LEFT JOIN categories c ON c.podcast_id = p.podcast_id
            ORDER BY p.podcast_id, p.title, c.category
            """;
        using var reader = command.ExecuteReader();
        var podcasts = new List<Podcast>();
        var categories = new List<string>();
        string? id = null, title = null;
        while (reader.Read())
        {
            if (reader.GetString(0) != id)
            {
                if (id is not null) podcasts.Add(new Podcast(id, title!, categories.Distinct().ToList()));
                (id, title, categories) = (reader.GetString(0), reader.GetString(1), []);
            }
            if (!reader.IsDBNull(2)) categories.Add(reader.GetString(2));
        }
        if (id is not null) podcasts.Add(new Podcast(id, title!, categories.Distinct().ToList()));
        return podcasts;
    }

    /// <summary>The reviews whose <c>created_at</c> falls on <paramref name="date"/> (yyyy-MM-dd), in stored order.</summary>
    public IReadOnlyList<Review> ReviewsOn(string date)
    {
        using var command = _connection.CreateCommand();
        // A range on the text rather than substr(), so the index on created_at serves it.
        command.CommandText = $"""
            SELECT podcast_id, title, content, rating, created_at FROM reviews
            WHERE created_at >= $from AND created_at < $to
            ORDER BY {RawReviewsSchema.ReviewOrder}
            """;
        command.Parameters.AddWithValue("$from", PartitionValues.Date(date));
        command.Parameters.AddWithValue("$to", PartitionValues.NextDate(date));
        using var reader = command.ExecuteReader();
        var reviews = new List<Review>();
        while (reader.Read())
            reviews.Add(new Review(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
        return reviews;
    }

    public void Dispose() => _connection.Dispose();
}
