using DataBuild.Job;
using PodcastReviews.ExtractReviews;

return JobHost.Run(args, new ExtractReviewsJob());
