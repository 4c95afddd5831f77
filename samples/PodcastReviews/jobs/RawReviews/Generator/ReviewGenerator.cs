using System.Globalization;
using System.Text;
using PodcastReviews.Records;

namespace PodcastReviews.RawReviews.Generator;

/// <summary>
/// Makes a podcast reviews data set that looks like the real one: popular shows get more reviews, most
/// reviews give five stars with a tail of one-star complaints, and the text follows the rating. Seeded, so
/// the same settings always give the same data.
/// </summary>
public static class ReviewGenerator
{
    private const int SecondsPerDay = 24 * 60 * 60;

    private sealed record GeneratedShow(Podcast Podcast, string Category, int Popularity, double Quality);

    public static SourceData Generate(GeneratorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Days < 1 || settings.MinReviewsPerDay < 0 || settings.MaxReviewsPerDay < settings.MinReviewsPerDay)
            throw new ArgumentException("need at least one day and 0 <= MinReviewsPerDay <= MaxReviewsPerDay", nameof(settings));
        // A seeded System.Random has given the same sequence in every .NET so far, though no version promises
        // it; the generator tests pin a sample of the output, so a change would not go unnoticed.
        var random = new Random(settings.Seed);
        var shows = PodcastShows.All.Select(show => new GeneratedShow(
            new Podcast(NewPodcastId(random), show.Title, new[] { show.Category, show.AlsoIn }.OfType<string>().Order(StringComparer.Ordinal).ToList()),
            show.Category,
            Popularity: 1 + random.Next(10),
            Quality: random.NextDouble())).ToList();
        var reviews = new List<Review>();
        for (var day = 0; day < settings.Days; day++)
        {
            var date = settings.FirstDay.AddDays(day);
            var count = random.Next(settings.MinReviewsPerDay, settings.MaxReviewsPerDay + 1);
            for (var i = 0; i < count; i++) reviews.Add(NewReview(random, PickShow(random, shows), date));
        }
        return new SourceData(
            shows.Select(s => s.Podcast).Order(RecordOrder.Podcasts).ToList(),
            reviews.Order(RecordOrder.Reviews).ToList());
    }

    private static string NewPodcastId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static GeneratedShow PickShow(Random random, IReadOnlyList<GeneratedShow> shows)
    {
        var ticket = random.Next(shows.Sum(s => s.Popularity));
        foreach (var show in shows)
        {
            if (ticket < show.Popularity) return show;
            ticket -= show.Popularity;
        }
        throw new InvalidOperationException("unreachable: the ticket is below the total popularity");
    }

    private static Review NewReview(Random random, GeneratedShow show, DateOnly date)
    {
        var rating = Rating(random, show.Quality);
        var (titles, sentences, sentenceCount) = rating switch
        {
            >= 4 => (ReviewPhrases.PositiveTitles, ReviewPhrases.PositiveSentences, random.Next(2, 5)),
            3 => (ReviewPhrases.MixedTitles, ReviewPhrases.MixedSentences, random.Next(2, 4)),
            _ => (ReviewPhrases.NegativeTitles, ReviewPhrases.NegativeSentences, random.Next(2, 4)),
        };
        var title = Pick(random, titles);
        var body = string.Join(" ", Shuffled(random, sentences).Take(sentenceCount).Select(sentence => FillIn(random, sentence, show)));
        var time = date.ToDateTime(TimeOnly.MinValue).AddSeconds(random.Next(SecondsPerDay));
        return new Review(show.Podcast.PodcastId, title, body, rating, time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    // Mostly five stars with a tail of one-star reviews, as on real podcast directories; better shows get more fives.
    private static int Rating(Random random, double quality)
    {
        var fives = 0.50 + 0.25 * quality;
        return random.NextDouble() switch
        {
            var u when u < fives => 5,
            var u when u < fives + 0.15 => 4,
            var u when u < fives + 0.23 => 3,
            var u when u < fives + 0.28 => 2,
            _ => 1,
        };
    }

    private static string FillIn(Random random, string sentence, GeneratedShow show) => new StringBuilder(sentence)
        .Replace("{podcast}", show.Podcast.Title)
        .Replace("{topic}", Pick(random, PodcastShows.Topics[show.Category]))
        .Replace("{praise}", Pick(random, ReviewPhrases.Praise))
        .Replace("{moment}", Pick(random, ReviewPhrases.Moments))
        .ToString();

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    // Fisher-Yates by hand rather than Random.Shuffle, so the output rests on Random.Next alone.
    private static T[] Shuffled<T>(Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (array[i], array[j]) = (array[j], array[i]);
        }
        return array;
    }
}
