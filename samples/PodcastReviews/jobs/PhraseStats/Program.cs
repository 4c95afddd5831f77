using DataBuild.Job;
using PodcastReviews.PhraseStats;

return JobHost.Run(args, new PhraseStatsJob());
