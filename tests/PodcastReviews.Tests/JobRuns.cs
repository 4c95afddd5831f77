using DataBuild.Job;

namespace PodcastReviews.Tests;

/// <summary>Runs a job's exec in-process, as the graph would run one config.</summary>
public static class JobRuns
{
    public static Task ExecuteAsync(IDataBuildJob job, RunConfig config) =>
        job.ExecuteAsync(new JobRun
        {
            JobRunId = Guid.NewGuid().ToString(),
            JobLabel = job.GetType().Name,
            Outputs = config.Outputs,
            Inputs = config.Inputs,
            Args = config.Args,
            Env = config.Env,
        }, CancellationToken.None);
}
