using DataBuild.Proto;

namespace DataBuild.Job;

/// <summary><c>configure &lt;ref&gt; [&lt;ref&gt; …]</c>: the job's run configs as JobConfigureResponse JSON on stdout.</summary>
internal static class ConfigureVerb
{
    public static int Run(IDataBuildJob job, IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw JobHostException.BadUsage("configure needs at least one partition ref");
        if (args.Any(string.IsNullOrEmpty)) throw JobHostException.BadUsage("configure was given an empty partition ref");
        var refs = args.Distinct().ToList();
        var configs = WithConsoleOutOnStderr(() => job.Configure(refs).ToList());
        CheckCoverage(refs, configs);
        var response = new JobConfigureResponse();
        response.Configs.AddRange(configs.Select(ToProto));
        Console.Out.WriteLine(ProtoJson.Format(response));
        return ExitCodes.Success;
    }

    // stdout carries only the response: a Console.WriteLine left in a job's Configure would corrupt it.
    private static T WithConsoleOutOnStderr<T>(Func<T> action)
    {
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        try
        {
            return action();
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    // The graph assigns each ref to the run that builds it; a ref in no config, or in two, would leave it
    // unbuilt or built twice, so the job's bug is reported here, where it is made, rather than in the graph.
    private static void CheckCoverage(IReadOnlyList<string> refs, IReadOnlyList<RunConfig> configs)
    {
        var problems = new List<string>();
        var configOf = new Dictionary<string, int>();
        for (var i = 0; i < configs.Count; i++)
        {
            if (configs[i].Outputs.Count == 0) problems.Add($"config {i + 1} has no outputs");
            foreach (var output in configs[i].Outputs)
            {
                if (configOf.TryGetValue(output, out var first))
                    problems.Add(first == i
                        ? $"'{output}' appears twice in the outputs of config {i + 1}"
                        : $"'{output}' is an output of config {first + 1} and of config {i + 1}");
                else
                    configOf[output] = i;
            }
        }
        problems.AddRange(refs.Where(r => !configOf.ContainsKey(r)).Select(r => $"'{r}' was requested but is in no config's outputs"));
        if (problems.Count > 0)
            throw JobHostException.Failure(
                $"Configure must put every requested ref in the outputs of exactly one config: {string.Join("; ", problems)}");
    }

    private static JobConfig ToProto(RunConfig config)
    {
        var proto = new JobConfig();
        proto.Outputs.AddRange(config.Outputs.Select(output => new PartitionRef { Str = output }));
        proto.Inputs.AddRange(config.Inputs.Select(input => new DataDep
        {
            DepType = input.Type == DependencyType.Materialize ? DepType.Materialize : DepType.Query,
            PartitionRef = new PartitionRef { Str = input.Ref },
        }));
        proto.Args.AddRange(config.Args);
        foreach (var (name, value) in config.Env)
        {
            // A config copying an environment variable the graph did not set (Environment.GetEnvironmentVariable(...)!).
            proto.Env[name] = value ?? throw JobHostException.Failure(
                $"Configure put no value in Env[\"{name}\"] of the config for {string.Join(", ", config.Outputs)}: it is null, often because the environment variable {name} is not set (set it for the build, e.g. in DataBuildEnvironment)");
        }
        return proto;
    }
}
