using DataBuild.Job;
using PodcastReviews.CategorizedReviews;

return JobHost.Run(args, new CategorizedReviewsJob());
