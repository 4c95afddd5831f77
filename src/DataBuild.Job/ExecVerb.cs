using DataBuild.Proto;
using Google.Protobuf;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Job;

/// <summary><c>exec &lt;args…&gt;</c>: builds the outputs of the JobConfig on stdin.</summary>
internal static class ExecVerb
{
    public static async Task<int> RunAsync(IDataBuildJob job, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var jobRunId = RequiredEnvironmentVariable("DATABUILD_JOB_RUN_ID");
        var jobLabel = RequiredEnvironmentVariable("DATABUILD_JOB_LABEL");
        var config = await ReadConfigAsync(cancellationToken);
        var run = new JobRun
        {
            JobRunId = jobRunId,
            JobLabel = jobLabel,
            Outputs = config.Outputs.Select(output => output.Str).ToList(),
            Inputs = config.Inputs.Select(FromProto).ToList(),
            Args = args,
            Env = new Dictionary<string, string>(config.Env),
        };
        try
        {
            await job.ExecuteAsync(run, cancellationToken);
            return ExitCodes.Success;
        }
        catch (MissingDependenciesException e)
        {
            var missing = new MissingDeps();
            missing.Impacted.AddRange(e.Impacted.Select(r => new PartitionRef { Str = r }));
            missing.Missing.AddRange(e.Missing.Select(r => new PartitionRef { Str = r }));
            var response = new JobMissingDepsResponse { MissingDeps = { missing } };
            Console.Out.WriteLine($"DATABUILD_MISSING_DEPS_JSON: {ProtoJson.Format(response)}");
            return ExitCodes.MissingDependencies;
        }
    }

    private static string RequiredEnvironmentVariable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw JobHostException.BadInput($"exec needs {name} in its environment (the graph sets it)");

    private static async Task<JobConfig> ReadConfigAsync(CancellationToken cancellationToken)
    {
        // Console reads block and ignore the token; waiting on them apart lets Ctrl-C end a run whose
        // caller never closed stdin, such as someone trying the job by hand.
        var json = await Task.Run(Console.In.ReadToEnd, CancellationToken.None).WaitAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(json)) throw JobHostException.BadInput("exec expects the JobConfig as JSON on stdin, and stdin was empty");
        JobConfig config;
        try
        {
            config = ProtoJson.Parse<JobConfig>(json);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException)
        {
            throw JobHostException.BadInput($"stdin is not a JobConfig in protobuf JSON: {e.Message}");
        }
        if (config.Outputs.Count == 0) throw JobHostException.BadInput("the JobConfig on stdin has no outputs");
        if (config.Outputs.Any(output => output.Str.Length == 0) || config.Inputs.Any(input => string.IsNullOrEmpty(input.PartitionRef?.Str)))
            throw JobHostException.BadInput("the JobConfig on stdin has an empty partition ref");
        return config;
    }

    private static JobInput FromProto(DataDep input) =>
        input.DepType == DepType.Materialize ? JobInput.Materialize(input.PartitionRef.Str) : JobInput.Query(input.PartitionRef.Str);
}
