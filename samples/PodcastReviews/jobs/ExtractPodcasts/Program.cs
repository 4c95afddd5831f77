using DataBuild.Job;
using PodcastReviews.ExtractPodcasts;

return JobHost.Run(args, new ExtractPodcastsJob());
