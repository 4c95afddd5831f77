using DataBuild.Engine;
using DataBuild.Service.Api;
using DataBuild.Service.Http;
using DataBuild.Service.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataBuild.Service;

/// <summary>
/// <c>databuild serve</c>: one graph's service on Kestrel. <see cref="StartAsync"/> checks the options, opens the
/// graph and listens; <see cref="StopAsync"/> stops taking calls and work, cancels the builds still running (their
/// runs are recorded as cancelled) and closes the log.
/// </summary>
public sealed class GraphServer : IAsyncDisposable
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;

    private GraphServer(WebApplication app) => _app = app;

    /// <summary>The addresses bound, with the real ports when port 0 was asked for.</summary>
    public IReadOnlyList<string> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    public GraphState Graph => _app.Services.GetRequiredService<GraphState>();

    /// <summary>Completes when the host is asked to stop from inside (it never is today; Ctrl-C comes through the caller's token).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Checks <paramref name="options"/>, opens the graph and starts listening. Throws <see cref="ServiceStartException"/>
    /// for options it refuses, and Core's exceptions for a bad manifest or log URI.
    /// </summary>
    public static async Task<GraphServer> StartAsync(ServiceOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        if (options.Parallelism < 1) throw new ServiceStartException($"--parallelism must be at least 1, got {options.Parallelism}");
        var listen = options.Urls.Select(u => Listening.Parse(u, grpcOnly: false))
            .Concat(options.GrpcUrls.Select(u => Listening.Parse(u, grpcOnly: true))).ToArray();
        if (listen.Length == 0) throw new ServiceStartException("--urls: give at least one address to listen on");
        var token = TokenCheck.Load(options.TokenFile);
        if (token is null && listen.FirstOrDefault(l => !l.IsLoopback) is { } open)
            throw new ServiceStartException(
                $"refusing to listen on {open.Url} without --token-file: anyone who can reach it could build and read this graph. " +
                "Listen on 127.0.0.1 (the default), or start with --token-file F holding a bearer token");

        var upstreams = new HttpUpstreamGraphs();
        var workspace = GraphWorkspace.Open(options.GraphPath, options.BelUri, stateDirectory: options.StateDirectory, upstreams: upstreams);
        workspace.Log.Warning += message => Console.Error.WriteLine($"databuild serve: warning: {message}");
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = workspace.Manifest.WorkingDirectory });
            builder.Logging.ClearProviders();
            if (logging is not null) logging(builder.Logging);
            else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning)
                // A failed start is reported once, by the caller, in one line.
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None).AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
                foreach (var l in listen)
                {
                    void Configure(ListenOptions o)
                    {
                        // Without TLS, HTTP/2 cannot be negotiated: plain addresses serve HTTP/1.1, gRPC ones HTTP/2 only.
                        o.Protocols = l.GrpcOnly ? HttpProtocols.Http2 : l.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                        if (l.Https) o.UseHttps();
                    }
                    if (l.Address is null) kestrel.ListenLocalhost(l.Port, Configure);
                    else kestrel.Listen(l.Address, l.Port, Configure);
                }
            });
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(upstreams);
            builder.Services.AddSingleton(new GraphState(workspace, options.Parallelism));
            builder.Services.AddSingleton<ServiceMetrics>();
            builder.Services.AddSingleton<BuildRunner>();
            // Stopped in reverse: the reconciler first, so it starts no build once the runner cancels them.
            builder.Services.AddHostedService(s => s.GetRequiredService<BuildRunner>());
            builder.Services.AddHostedService<ReconcileLoop>();
            builder.Services.AddGrpc(o =>
            {
                o.MaxReceiveMessageSize = (int)MaxRequestBodyBytes;
                o.EnableDetailedErrors = false;
            }).AddJsonTranscoding();

            var app = builder.Build();
            app.UseMiddleware<AccessMiddleware>(new AccessMiddleware.Policy(token));
            app.UseMiddleware<ProblemDetailsMiddleware>();
            app.MapGrpcService<GraphApi>();
            OpsEndpoints.Map(app);
            DashboardFiles.Map(app);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // A port in use, an https address without a certificate: Kestrel's message says which.
                await app.DisposeAsync();
                throw new ServiceStartException($"cannot listen on {string.Join(", ", listen.Select(l => l.Url))}: {e.Message}", e);
            }
            return new GraphServer(app);
        }
        catch
        {
            workspace.Dispose();
            upstreams.Dispose();
            throw;
        }
    }

    public async Task StopAsync()
    {
        await _app.StopAsync();
        _app.Services.GetRequiredService<GraphState>().Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }
}
