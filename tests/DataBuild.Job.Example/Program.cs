using DataBuild.Job;
using DataBuild.Job.Example;

return JobHost.Run(args, new NumbersJob());
