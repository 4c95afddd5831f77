using System.Text.RegularExpressions;

namespace DataBuild.Cli;

/// <summary>
/// An exception's message as a user reads it. DataBuild's own messages are written for users, but the runtime
/// appends what it knows to some, also when they are quoted inside another message: an ArgumentException its
/// parameter's name (<c>(Parameter 'uri')</c>), an ArgumentOutOfRangeException the value (<c>Actual value was
/// -1.</c>), a JsonException its reader's position (<c>LineNumber: 0 | BytePositionInLine: 3.</c>).
/// </summary>
public static partial class UserMessages
{
    /// <summary>Set to 1 to print where an unexpected error happened (its stack trace), for a bug report.</summary>
    public const string TraceVariable = "DATABUILD_TRACE";

    public static string Of(Exception e) => RuntimeDetail().Replace(e.Message, "").Trim();

    /// <summary>Whether <see cref="TraceVariable"/> asks for the stack traces of unexpected errors.</summary>
    public static bool TraceRequested => Environment.GetEnvironmentVariable(TraceVariable) == "1";

    /// <summary>The lines to print for an error DataBuild did not expect: what it says, and where it happened when <paramref name="trace"/>.</summary>
    public static string Unexpected(Exception e, bool trace) =>
        $"databuild: unexpected error: {Of(e)}" + Environment.NewLine
        + (trace ? e.ToString() : $"Run again with {TraceVariable}=1 to see where it happened, for a bug report.");

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)|\s*Actual value was [^\r\n]*|\s*LineNumber: \d+ \| BytePositionInLine: \d+\.")]
    private static partial Regex RuntimeDetail();
}
