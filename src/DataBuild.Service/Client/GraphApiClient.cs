using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Rendering;
using Google.Protobuf;

namespace DataBuild.Service.Client;

/// <summary>
/// A client of a graph service's HTTP/JSON API (docs/service.md): the messages of databuild_api.proto, read and written
/// with protobuf's JSON mapping. Every failure is a <see cref="GraphApiException"/> with one line a user can act on:
/// the service cannot be reached, refused the token, or refused the request (its problem details' <c>detail</c>).
/// </summary>
public sealed class GraphApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _hasToken;

    /// <param name="baseAddress">The service's address, e.g. http://127.0.0.1:8765.</param>
    /// <param name="token">The bearer token to send, or null.</param>
    public GraphApiClient(Uri baseAddress, string? token)
    {
        BaseAddress = baseAddress;
        // Long polls wait up to a minute on the server; the timeout leaves room for that.
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _hasToken = token is not null;
    }

    public Uri BaseAddress { get; }

    public Task<EventPage> ListEventsAsync(ListEventsRequest request, CancellationToken cancellationToken)
    {
        var query = new Query().Add("since", request.Since).Add("limit", request.Limit).Add("wait", request.Wait)
            .Add("partition", request.Partition).Add("pattern", request.Pattern).Add("job", request.Job)
            .Add("run", request.Run).Add("request", request.Request).Add("want", request.Want);
        return GetAsync<EventPage>("/api/v1/events" + query, cancellationToken);
    }

    public Task<ListPartitionsResponse> ListPartitionsAsync(ListPartitionsRequest request, CancellationToken cancellationToken)
    {
        var query = new Query().Add("pattern", request.Pattern).Add("status", request.Status.Select(s => ProtoNames.Of(s)))
            .Add("pageSize", request.PageSize).Add("pageToken", request.PageToken);
        return GetAsync<ListPartitionsResponse>("/api/v1/partitions" + query, cancellationToken);
    }

    /// <summary>One partition; a ref the log never mentioned is PARTITION_UNKNOWN.</summary>
    public Task<PartitionDetail> GetPartitionAsync(string partitionRef, CancellationToken cancellationToken) =>
        GetAsync<PartitionDetail>("/api/v1/partitions/" + string.Join('/', partitionRef.Split('/').Select(Uri.EscapeDataString)), cancellationToken);

    public Task<ListRunsResponse> ListRunsAsync(ListRunsRequest request, CancellationToken cancellationToken)
    {
        var query = new Query().Add("job", request.Job).Add("request", request.Request).Add("status", request.Status.Select(s => ProtoNames.Of(s)))
            .Add("pageSize", request.PageSize).Add("pageToken", request.PageToken);
        return GetAsync<ListRunsResponse>("/api/v1/runs" + query, cancellationToken);
    }

    public Task<RunLogChunk> ReadRunLogAsync(string jobRunId, long offset, CancellationToken cancellationToken) =>
        GetAsync<RunLogChunk>($"/api/v1/runs/{Uri.EscapeDataString(jobRunId)}/log" + new Query().Add("offset", offset), cancellationToken);

    public Task<SubmitBuildResponse> SubmitBuildAsync(SubmitBuildRequest request, CancellationToken cancellationToken) =>
        PostAsync<SubmitBuildResponse>("/api/v1/builds", request, cancellationToken);

    public Task<BuildRequestDetail> GetBuildAsync(string buildRequestId, CancellationToken cancellationToken) =>
        GetAsync<BuildRequestDetail>($"/api/v1/builds/{Uri.EscapeDataString(buildRequestId)}", cancellationToken);

    public Task<BuildRequestDetail> CancelBuildAsync(string buildRequestId, CancellationToken cancellationToken) =>
        PostAsync<BuildRequestDetail>($"/api/v1/builds/{Uri.EscapeDataString(buildRequestId)}:cancel", new CancelBuildRequest(), cancellationToken);

    public Task<WantDetail> CreateWantAsync(CreateWantRequest request, CancellationToken cancellationToken) =>
        PostAsync<WantDetail>("/api/v1/wants", request, cancellationToken);

    public Task<ListWantsResponse> ListWantsAsync(bool all, CancellationToken cancellationToken) =>
        GetAsync<ListWantsResponse>("/api/v1/wants" + new Query().Add("all", all ? "true" : ""), cancellationToken);

    public Task<CancelWantResponse> CancelWantAsync(string wantId, string reason, CancellationToken cancellationToken) =>
        PostAsync<CancelWantResponse>($"/api/v1/wants/{Uri.EscapeDataString(wantId)}:cancel", new CancelWantRequest { Reason = reason }, cancellationToken);

    public Task<InvalidatePartitionsResponse> InvalidatePartitionsAsync(InvalidatePartitionsRequest request, CancellationToken cancellationToken) =>
        PostAsync<InvalidatePartitionsResponse>("/api/v1/partitions:invalidate", request, cancellationToken);

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) where T : IMessage<T>, new() =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private Task<T> PostAsync<T>(string path, IMessage body, CancellationToken cancellationToken) where T : IMessage<T>, new() =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json"),
        }, cancellationToken);

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> create, CancellationToken cancellationToken) where T : IMessage<T>, new()
    {
        using var request = create();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new GraphApiException($"cannot reach the service at {BaseAddress}: {Reason(e)}", null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GraphApiException($"the service at {BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", null, e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw Refused(request, response, body);
            try
            {
                return MessageJson.Parse<T>(body);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or JsonException)
            {
                throw new GraphApiException($"the service at {BaseAddress} answered {request.RequestUri} with something that is not a DataBuild API message: {e.Message}", null, e);
            }
        }
    }

    private GraphApiException Refused(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var detail = Detail(body);
        var message = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized when _hasToken => $"the service at {BaseAddress} refused the token (401): give --token-file with the token it was started with",
            HttpStatusCode.Unauthorized => $"the service at {BaseAddress} needs a token (401): give --token-file with the token it was started with",
            HttpStatusCode.Forbidden => $"the service at {BaseAddress} refused the call (403): {detail ?? "it takes calls from its own machine only, unless started with --token-file"}",
            HttpStatusCode.NotFound when detail is null => $"the service at {BaseAddress} has no {request.RequestUri} (404): is it a databuild service?",
            _ => $"the service at {BaseAddress} refused the request ({status}): {detail ?? response.ReasonPhrase ?? "no reason given"}",
        };
        return new GraphApiException(message, status);
    }

    // The detail of a problem-details body (RFC 9457), or null when the body is not one.
    private static string? Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail)
                && detail.ValueKind == JsonValueKind.String && detail.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Reason(HttpRequestException e) =>
        e.InnerException is { } inner && inner.Message.Length > 0 ? inner.Message.TrimEnd('.') : e.Message.TrimEnd('.');

    public void Dispose() => _http.Dispose();

    /// <summary>A query string; empty values and zero numbers are left out, as the API reads them as absent.</summary>
    private sealed class Query
    {
        private readonly StringBuilder _text = new();

        public Query Add(string name, long value) => value == 0 ? this : Add(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public Query Add(string name, string value)
        {
            if (value.Length == 0) return this;
            _text.Append(_text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            return this;
        }

        public Query Add(string name, IEnumerable<string> values)
        {
            foreach (var value in values) Add(name, value);
            return this;
        }

        public override string ToString() => _text.ToString();
    }
}

/// <summary>A call to a graph service failed; <see cref="Exception.Message"/> is one line for the user.</summary>
public sealed class GraphApiException(string message, int? status, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the service answered, or null when it did not answer.</summary>
    public int? Status { get; } = status;
}
