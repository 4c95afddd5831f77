using System.CommandLine;
using DataBuild.Cli;

var root = CliApp.CreateRootCommand();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"databuild: {error.Message}");
    Console.Error.WriteLine("Run 'databuild --help' for usage.");
    return ExitCodes.BadInput;
}
return await parse.InvokeAsync(new InvocationConfiguration
{
    EnableDefaultExceptionHandler = false,
    // Ctrl-C cancels the build; this long gives it time to stop its jobs and record that they were cancelled.
    ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
});
