using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Reports;
using Task = System.Threading.Tasks.Task;
using DataBuild.Wants;
using Grpc.Core;

namespace DataBuild.Service.Api;

internal sealed partial class GraphApi
{
    private const int MaxText = 1024;

    public override Task<WantDetail> CreateWant(CreateWantRequest request, ServerCallContext context)
    {
        var refs = ApiErrors.Refs(context, "partitions", request.Partitions, graph.Engine, MaxRefsPerRequest);
        var ttl = Duration(context, "ttl", request.Ttl);
        var sla = Duration(context, "sla", request.Sla);
        if (ttl is { } t && sla > t) throw ApiErrors.Invalid(context, "sla", $"longer than the TTL ({request.Ttl}): the want would expire before it could miss its SLA");
        Text(context, "reason", request.Reason);
        Text(context, "requestedBy", request.RequestedBy);
        var requestedBy = request.RequestedBy.Length > 0 ? request.RequestedBy : $"api {context.Peer}";
        var id = WantCommands.Create(graph.Engine, new WantRequest(refs, ttl, sla, requestedBy, request.Reason));
        return Task.FromResult(graph.Read(views =>
            DetailMessages.Want(WantReport.Of(views.Wants.Get(id)!, views.Catalog, graph.Engine.Lookup, graph.Log.Clock.GetUtcNow()))));
    }

    public override Task<ListWantsResponse> ListWants(ListWantsRequest request, ServerCallContext context) =>
        Task.FromResult(graph.Read(views =>
        {
            var now = graph.Log.Clock.GetUtcNow();
            var response = new ListWantsResponse();
            foreach (var want in request.All ? views.Wants.All : views.Wants.Active)
                response.Wants.Add(DetailMessages.Want(WantReport.Of(want, views.Catalog, graph.Engine.Lookup, now)));
            return response;
        }));

    public override Task<CancelWantResponse> CancelWant(CancelWantRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "wantId", request.WantId);
        Text(context, "reason", request.Reason);
        return Task.FromResult(graph.Read(views =>
        {
            var want = views.Wants.Get(id) ?? throw ApiErrors.NotFound($"no want {id}");
            if (!want.IsActive) throw ApiErrors.Conflict($"want {id} has already ended ({ProtoNames.Of(want.Status)})");
            var response = new CancelWantResponse();
            response.Cancelled.AddRange(WantCommands.Cancel(graph.Log, views.Wants, id, request.Reason.Length > 0 ? request.Reason : "cancelled"));
            return response;
        }));
    }

    private static TimeSpan? Duration(ServerCallContext context, string field, string text)
    {
        if (text.Length == 0) return null;
        try
        {
            return Durations.Parse(text, field);
        }
        catch (FormatException e)
        {
            throw ApiErrors.Invalid(context, field, e.Message);
        }
    }

    private static void Text(ServerCallContext context, string field, string value)
    {
        if (value.Length > MaxText) throw ApiErrors.Invalid(context, field, $"at most {MaxText} characters, got {value.Length}");
        if (value.Any(char.IsControl)) throw ApiErrors.Invalid(context, field, "must not hold control characters");
    }
}
