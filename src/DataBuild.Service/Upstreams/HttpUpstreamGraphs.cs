using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Upstreams;
using Google.Protobuf;

namespace DataBuild.Service.Upstreams;

/// <summary>
/// Core's <see cref="IUpstreamGraphs"/> over an upstream service's HTTP/JSON API: <c>POST /api/v1/builds</c> and
/// <c>GET /api/v1/events</c>, with protobuf's JSON mapping and the bearer token of the upstream's token file, read at
/// each call (so a rotated token is picked up). What cannot be reached, times out, or answers 5xx, 408 or 429 is
/// <see cref="UpstreamUnreachableException"/> (asked again); any other answer but success is a refusal with the upstream's reason.
/// </summary>
public sealed class HttpUpstreamGraphs : IUpstreamGraphs, IDisposable
{
    // The long poll's wait plus room for a loaded upstream to answer.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task SubmitBuildAsync(UpstreamAddress address, string buildRequestId, IReadOnlyList<string> partitions, string requestedBy,
        CancellationToken cancellationToken)
    {
        var body = new SubmitBuildRequest { BuildRequestId = buildRequestId, RequestedBy = requestedBy };
        body.Partitions.AddRange(partitions);
        using var request = new HttpRequestMessage(HttpMethod.Post, Combine(address.Url, "api/v1/builds"))
        {
            Content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json"),
        };
        await SendAsync(address, request, Slack, cancellationToken);
    }

    public async Task<EventPage> ListEventsAsync(UpstreamAddress address, string buildRequestId, long since, TimeSpan wait, CancellationToken cancellationToken)
    {
        var query = $"api/v1/events?request={Uri.EscapeDataString(buildRequestId)}&since={since}&limit=1000&wait={(int)wait.TotalSeconds}";
        using var request = new HttpRequestMessage(HttpMethod.Get, Combine(address.Url, query));
        var text = await SendAsync(address, request, wait + Slack, cancellationToken);
        try
        {
            return Parser.Parse<EventPage>(text);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UpstreamRefusedException($"its events answer is not an event page ({e.Message}); is {address.Url} a DataBuild service?");
        }
    }

    private async Task<string> SendAsync(UpstreamAddress address, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (address.TokenFile is { } tokenFile) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadToken(tokenFile));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw new UpstreamUnreachableException($"cannot reach {address.Url}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamUnreachableException($"{address.Url} did not answer within {timeout.TotalSeconds:0}s", e);
        }
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(deadline.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamUnreachableException($"{address.Url} broke off its answer: {e.Message}", e);
            }
            if (response.IsSuccessStatusCode) return text;
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            var detail = Detail(text);
            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                throw new UpstreamUnreachableException($"{address.Url} answered {status}{detail}");
            if (response.StatusCode is HttpStatusCode.Unauthorized)
                throw new UpstreamRefusedException($"{status}: {(address.TokenFile is null ? "it needs a token; name its file with tokenFile" : $"it does not accept the token in {address.TokenFile}")}");
            throw new UpstreamRefusedException($"{status}{detail}");
        }
    }

    private static string ReadToken(string tokenFile)
    {
        string token;
        try
        {
            token = File.ReadAllText(tokenFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpstreamRefusedException($"cannot read its token file '{tokenFile}': {e.Message}");
        }
        if (token.Length == 0 || token.Any(char.IsWhiteSpace))
            throw new UpstreamRefusedException($"its token file '{tokenFile}' {(token.Length == 0 ? "is empty" : "holds whitespace inside the token")}");
        return token;
    }

    // Problem details name what was wrong; anything else is left out rather than echoed.
    private static string Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? $": {detail.GetString()}"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static Uri Combine(string baseUrl, string relative) => new(new Uri(baseUrl.TrimEnd('/') + "/"), relative);

    public void Dispose() => _http.Dispose();
}
