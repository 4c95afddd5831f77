using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// Messages a user must see while the build runs, under every logger. The classic console logger shows any
/// high-importance message as it arrives; MSBuild's terminal logger (the default in a terminal, MSBuild 18.9)
/// shows high-importance messages only at detailed verbosity, after the project ends. The one kind it prints as it
/// arrives is the extended message of type <c>TLTESTOUTPUT</c> in a project that has started the
/// <c>_TestRunStart</c> target (the channel test runners use; Sdk.targets starts that target before
/// <c>DataBuild</c>). Such a message is an ordinary high-importance message to every other logger, so each line is
/// logged once and shows everywhere.
/// </summary>
internal static class LiveMessages
{
    private const string TerminalLoggerLiveOutput = "TLTESTOUTPUT";

    public static void Log(IBuildEngine engine, string message) =>
        engine.LogMessageEvent(new ExtendedBuildMessageEventArgs(TerminalLoggerLiveOutput, message, helpKeyword: null, senderName: "DataBuild", MessageImportance.High));
}
