using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DataBuild.Proto;
using Grpc.Net.Client;

namespace DataBuild.Service.Tests;

/// <summary>
/// A real <c>databuild serve</c> process on ephemeral loopback ports (Kestrel), with a real HttpClient for the
/// JSON API and a real gRPC client for the same service on its HTTP/2 address.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcChannel? _channel;

    private ServiceProcess(Process process, string? token)
    {
        _process = process;
        Token = token;
    }

    public string? Token { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    public GraphService.GraphServiceClient Grpc => new((_channel ??= GrpcChannel.ForAddress(GrpcAddress)));

    public static ServiceProcess Start(ServiceGraph graph, string? token = null, params string[] extra) => StartOn(graph, "http://127.0.0.1:0", token, extra);

    /// <summary>Starts the service with its JSON API on <paramref name="url"/>.</summary>
    public static ServiceProcess StartOn(ServiceGraph graph, string url, string? token = null, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = graph.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ServiceGraph.CliDll);
        foreach (var arg in (string[])["serve", "--urls", url, "--grpc-urls", "http://127.0.0.1:0", .. extra]) info.ArgumentList.Add(arg);
        if (token is not null)
        {
            var file = Path.Combine(graph.Folder, "token");
            File.WriteAllText(file, token + "\n");
            info.ArgumentList.Add("--token-file");
            info.ArgumentList.Add(file);
        }
        var service = new ServiceProcess(Process.Start(info)!, token);
        service._process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        service._process.EnableRaisingEvents = true;
        service._process.Exited += (_, _) => service._listening.TrySetException(new InvalidOperationException($"databuild serve exited:\n{service.Output}"));
        if (!service._listening.Task.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException($"databuild serve did not start:\n{service.Output}");
        var addresses = service._listening.Task.Result.Split(", ");
        service.BaseAddress = new Uri(addresses[0]);
        service.GrpcAddress = new Uri(addresses[1]);
        service.Http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (token is not null) service.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return service;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        const string marker = "listening on ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) _listening.TrySetResult(line[(at + marker.Length)..].Trim());
    }

    public async Task<JsonNode> GetJson(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<(int Status, JsonNode? Body, string? ContentType)> Post(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<string> SubmitBuild(params string[] partitions)
    {
        var (status, body, _) = await Post("/api/v1/builds", new { partitions });
        Assert.True(status == 202, $"POST /api/v1/builds: {status} {body}");
        return body!["buildRequestId"]!.GetValue<string>();
    }

    /// <summary>Polls the build until it ends; returns its detail.</summary>
    public async Task<JsonNode> WaitForBuild(string id, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var build = await GetJson($"/api/v1/builds/{id}");
            if (build["finishedAt"]!.GetValue<long>() > 0) return build;
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(90))) throw new TimeoutException($"build {id} did not end: {build}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a minute and a half at most.</summary>
    public static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"waited too long for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public int Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException($"databuild serve did not stop on SIGTERM:\n{Output}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>kill -9: the service dies at once, its job processes are left behind.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _channel?.Dispose();
        Http?.Dispose();
        _process.Dispose();
    }
}
