namespace PodcastReviews.RawReviews.Generator;

/// <summary>
/// The sentences and titles reviews are made of, by mood. {podcast}, {topic}, {praise} and {moment} are
/// filled in per review, so the text varies while the phrases listeners really repeat ("great show",
/// "too many ads") recur often enough to be counted.
/// </summary>
internal static class ReviewPhrases
{
    public static readonly string[] PositiveTitles =
    [
        "Love it!", "Best podcast ever", "My new favorite", "So good", "Highly recommend", "Five stars",
        "Must listen", "Great show", "Obsessed", "Never miss an episode",
    ];

    public static readonly string[] MixedTitles = ["Good but too many ads", "Decent", "Hit or miss", "Could be better", "Okay show"];

    public static readonly string[] NegativeTitles = ["Too many ads", "Not for me", "Gone downhill", "Disappointed", "Unlistenable", "Boring"];

    public static readonly string[] PositiveSentences =
    [
        "I listen to {podcast} every {moment} and it never disappoints.",
        "The hosts are {praise} and the {topic} are the best part.",
        "Great show for anyone who loves {topic}.",
        "Highly recommend this podcast.",
        "Can't wait for the next episode!",
        "This is my new favorite podcast.",
        "The {topic} keep me coming back every week.",
        "Perfect for my commute.",
        "Five stars, keep up the great work!",
        "I have learned so much from this show.",
        "The production quality is excellent.",
        "Binged every episode in a week.",
    ];

    public static readonly string[] MixedSentences =
    [
        "Some episodes are great, others drag on.",
        "The {topic} are good but the ads are too long.",
        "I like the hosts but the audio quality could be better.",
        "Worth a listen if you like {topic}.",
        "It used to be better, but still decent.",
        "Too many ads, but the content is solid.",
    ];

    public static readonly string[] NegativeSentences =
    [
        "Way too many ads in every episode.",
        "The audio quality is terrible.",
        "I used to love this show but it has gone downhill.",
        "The hosts talk over each other constantly.",
        "Not worth your time.",
        "Unsubscribed after three episodes.",
        "The {topic} are shallow and poorly researched.",
        "Too much rambling and not enough content.",
    ];

    public static readonly string[] Praise = ["funny", "smart", "so genuine", "hilarious", "well prepared", "easy to listen to"];

    public static readonly string[] Moments = ["morning", "evening", "weekend", "lunch break", "workout"];
}
