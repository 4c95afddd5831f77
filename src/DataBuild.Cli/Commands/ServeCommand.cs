using System.CommandLine;
using DataBuild.Service;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class ServeCommand
{
    private static readonly Option<string[]> Urls = new("--urls")
    {
        Description = $"Where to listen for the HTTP/JSON API (and gRPC over https), e.g. {ServiceOptions.DefaultUrl} (the default). " +
            "Several are separated by ';'. An address other than loopback needs --token-file.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string[]> GrpcUrls = new("--grpc-urls")
    {
        Description = "Where to listen for gRPC without TLS (HTTP/2 only), e.g. http://127.0.0.1:8766. Default: none.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once across every build the service runs. Default: the number of processors.",
    };

    private static readonly Option<string?> ReconcileInterval = new("--reconcile-interval")
    {
        Description = "How often the reconciler looks at the wants when nothing new happens (for TTLs, SLAs and retries), " +
            "e.g. 30s or 5m. New wants are picked up at once regardless. Default: 10s.",
    };

    public static Command Create()
    {
        var command = new Command("serve",
            "Run the graph as a service: the HTTP/JSON and gRPC API (docs/service.md), the web dashboard at / (docs/dashboard.md), " +
            "builds submitted to it, and the reconciler, always on. Runs until Ctrl-C or SIGTERM, then cancels its running builds and exits 0.")
        {
            Urls, GrpcUrls, Parallelism, ReconcileInterval,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            var urls = Split(parse.GetValue(Urls));
            var interval = parse.GetValue(ReconcileInterval) is { } text ? Durations.Parse(text, "--reconcile-interval") : (TimeSpan?)null;
            var options = new ServiceOptions
            {
                GraphPath = GlobalOptions.ResolveGraph(parse),
                BelUri = parse.GetValue(GlobalOptions.Bel),
                StateDirectory = parse.GetValue(GlobalOptions.StateDirectory),
                Urls = urls.Count > 0 ? urls : [ServiceOptions.DefaultUrl],
                GrpcUrls = Split(parse.GetValue(GrpcUrls)),
                TokenFile = parse.GetValue(GlobalOptions.TokenFile),
                Parallelism = parallelism ?? Environment.ProcessorCount,
            };
            if (interval is { } every) options = options with { ReconcileInterval = every };
            GraphServer server;
            try
            {
                server = await GraphServer.StartAsync(options, cancellationToken: cancellationToken);
            }
            catch (ServiceStartException e)
            {
                throw new UsageException(e.Message);
            }
            await using (server)
            {
                Console.WriteLine($"databuild serve: graph {server.Graph.Engine.Graph.Label} on {server.Graph.Workspace.BelUri}, " +
                    $"listening on {string.Join(", ", server.Addresses)}");
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: stop below.
                }
                Console.WriteLine("databuild serve: stopping; running builds are cancelled");
                await server.StopAsync();
                Console.WriteLine("databuild serve: stopped");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static IReadOnlyList<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
