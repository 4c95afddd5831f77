namespace DataBuild.Tasks;

/// <summary>
/// The codes of DataBuild's MSBuild errors, documented in docs/msbuild.md. Codes are never reused: a user
/// searching for one must find this meaning.
/// </summary>
public static class ErrorCodes
{
    public const string InvalidPattern = "DB0001";
    public const string DuplicateLabel = "DB0002";
    public const string IdenticalPatterns = "DB0003";
    public const string MissingProject = "DB0004";
    public const string MissingCommand = "DB0005";
    public const string ProjectOrCommand = "DB0006";
    public const string NoOutputs = "DB0007";
    public const string InvalidLabel = "DB0008";
    public const string InvalidNumber = "DB0009";
    public const string InvalidGraph = "DB0010";
    public const string NoProgram = "DB0011";
    public const string AmbiguousPattern = "DB0012";
    public const string NoRuntimeForPublish = "DB0013";
    public const string UnknownMetadata = "DB0014";
    public const string CommandNotExecutable = "DB0015";
    public const string CommandBesideProject = "DB0016";
    public const string InvalidUpstream = "DB0030";
    public const string InvalidLocation = "DB0040";
    public const string InvalidExistsVerb = "DB0041";
    public const string MissingCodeFile = "DB0042";
    public const string InvalidExecutor = "DB0050";
    public const string NoPartitions = "DB0020";
    public const string MissingPartitionsFile = "DB0021";
    public const string InvalidPartition = "DB0022";
    public const string JobFailed = "DB0100";
    public const string BuildFailed = "DB0101";
    public const string BadRequest = "DB0102";
}
