namespace PodcastReviews.RawReviews.Generator;

/// <summary>
/// What to generate. The defaults are the sample data set: about 110 reviews a day for 30 days from
/// 2020-01-01. The same settings always give the same data.
/// </summary>
public sealed record GeneratorSettings
{
    public int Seed { get; init; } = 20200101;

    public DateOnly FirstDay { get; init; } = new(2020, 1, 1);

    public int Days { get; init; } = 30;

    public int MinReviewsPerDay { get; init; } = 90;

    public int MaxReviewsPerDay { get; init; } = 130;
}
