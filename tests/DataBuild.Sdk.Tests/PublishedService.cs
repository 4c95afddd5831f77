using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataBuild.Sdk.Tests;

/// <summary>
/// <c>databuild serve</c> of a published graph, asked one thing. Its output is read by events, never by a blocking
/// read of its first line, and readiness is a poll of <c>/healthz</c> with a deadline, so a service that does not
/// start fails the test instead of hanging it. Stopped with SIGTERM, which must end it with exit code 0.
/// </summary>
public static class PublishedService
{
    public static async Task<string> GetAsync(string databuild, string workingDirectory, IReadOnlyDictionary<string, string?> environment, string path)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo(databuild) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "serve", "--urls", url }) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var output = new List<string>();
        using var serve = Process.Start(info)!;
        serve.OutputDataReceived += (_, e) => Add(e.Data);
        serve.ErrorDataReceived += (_, e) => Add(e.Data);
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = Stopwatch.StartNew();
            while (!await AnswersAsync(http))
            {
                Assert.False(serve.HasExited, $"databuild serve exited with {(serve.HasExited ? serve.ExitCode : 0)}:\n{Output()}");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"databuild serve did not answer /healthz:\n{Output()}");
                await Task.Delay(200);
            }
            return await http.GetStringAsync(path);
        }
        finally
        {
            if (!serve.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", serve.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await serve.WaitForExitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    serve.Kill(entireProcessTree: true);
                }
            }
            Assert.True(serve.ExitCode == 0, $"databuild serve exited with {serve.ExitCode}:\n{Output()}");
        }

        void Add(string? line)
        {
            if (line is null) return;
            lock (output) output.Add(line);
        }

        string Output()
        {
            lock (output) return string.Join('\n', output);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
