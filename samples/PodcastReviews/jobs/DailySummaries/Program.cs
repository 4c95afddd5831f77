using DataBuild.Job;
using PodcastReviews.DailySummaries;

return JobHost.Run(args, new DailySummariesJob());
