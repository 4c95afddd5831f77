using DataBuild.Job;
using PodcastReviews.RawReviews;

return JobHost.Run(args, new RawReviewsJob());
