// One build request: its status, what it asked for, its job graph drawn and coloured as it progresses, its runs
// (status, attempt, duration, exit code, log), and a cancel button while this service runs it.
import { call, post } from "../api";
import { button, duration, errorText, h, link, notice, shortId, span, time, updateRows } from "../dom";
import { coalesce } from "../follow";
import { GraphView } from "../graph";
import { Lifetime, partitionHref, runHref, type Page, type Route } from "../page";
import { partitionBadge, requestBadge, requestEnded, runBadge } from "../status";
import type { BuildGraph, BuildRequestDetail, JobRunDetail } from "../types";

export function mountBuild(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const id = route.parts[1]!;
  const say = notice();
  const details = h("dl", { class: "details" });
  const cancel = button("Cancel build", (b) => {
    b.disabled = true;
    post<BuildRequestDetail>(`/api/v1/builds/${id}:cancel`).then(
      () => say.show("Cancelling: its job runs are being stopped."),
      (e: unknown) => {
        b.disabled = false;
        say.show(`Could not cancel: ${errorText(e)}`, true);
      });
  }, { class: "danger" });
  cancel.hidden = true;
  const graph = new GraphView();
  const partitions = h("ul", { class: "refs", "aria-label": "requested partitions" });
  const runs = h("tbody");
  root.append(
    h("h1", {}, h("span", { class: "kind" }, "Build request "), h("span", { class: "mono" }, id)),
    h("div", { class: "toolbar" }, cancel), say.element, details,
    h("section", { "aria-labelledby": "requested" }, h("h2", { id: "requested" }, "Requested partitions"), partitions),
    h("section", { "aria-labelledby": "job-graph" }, h("h2", { id: "job-graph" }, "Job graph"), graph.element),
    h("section", { "aria-labelledby": "job-runs" }, h("h2", { id: "job-runs" }, "Job runs"),
      h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "job runs" },
        h("thead", {}, h("tr", {}, ["Run", "Job", "Targets", "Status", "Attempt", "Duration", "Exit code", "Log"].map((c) => h("th", { scope: "col" }, c)))),
        runs))));

  const item = (term: string, value: Node | string): Node[] => [h("dt", {}, term), h("dd", {}, value)];
  const runRow = (r: JobRunDetail): HTMLTableRowElement =>
    h("tr", { "data-run": r.jobRunId },
      h("td", {}, link(runHref(r.jobRunId), shortId(r.jobRunId), { "aria-label": `run ${r.jobRunId}` })),
      h("td", {}, r.jobLabel),
      h("td", { class: "ref" }, (r.targets ?? []).join(" ")),
      h("td", {}, runBadge(r.status)),
      h("td", {}, String(r.attempt)),
      h("td", {}, r.durationMs ? duration(r.durationMs) : r.startedAt ? span(r.startedAt, r.finishedAt) : ""),
      h("td", {}, r.finishedAt && r.status !== "JOB_CANCELLED" ? String(r.exitCode) : ""),
      h("td", {}, link(runHref(r.jobRunId), "log", { "aria-label": `log of run ${r.jobRunId}` })));

  const refresh = coalesce(async () => {
    try {
      const [build, drawn] = await Promise.all([
        call<BuildRequestDetail>(`/api/v1/builds/${id}`, { signal: life.abort.signal }),
        call<BuildGraph>(`/api/v1/builds/${id}/graph`, { signal: life.abort.signal }),
      ]);
      if (life.disposed) return;
      details.replaceChildren(
        ...item("Status", requestBadge(build.status)),
        ...item("Received", time(build.receivedAt) + (build.requestedBy ? ` from ${build.requestedBy}` : "")),
        ...(build.backfillId ? item("Backfill", h("span", { class: "mono", "data-backfill": build.backfillId }, build.backfillId)) : []),
        ...item("Duration", span(build.receivedAt, build.finishedAt) + (build.finishedAt ? "" : " so far")),
        ...item("Job runs", `${build.jobsCompleted} completed, ${build.jobsFailed} failed, ${build.jobsCancelled} cancelled, ${build.jobsMissingDeps} missing deps`),
        ...(build.partitionsDelegated ? item("Delegated", `${build.partitionsDelegated} partitions built by other requests`) : []),
        ...(build.message ? item("Message", build.message) : []));
      cancel.hidden = !build.runningInService || requestEnded(build.status) || build.finishedAt > 0;
      const states = new Map((build.partitions ?? []).map((p) => [p.partitionRef, p.status]));
      partitions.replaceChildren(...(build.requestedPartitions ?? []).map((r) =>
        h("li", {}, link(partitionHref(r), r), " ", partitionBadge(states.get(r) ?? "PARTITION_UNKNOWN"))));
      updateRows(runs, (build.runs ?? []).map(runRow), "data-run");
      await graph.show(drawn);
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);
  life.events((events) => {
    if (events.some((e) => e.event.buildRequestId === id || e.event.delegationEvent?.delegatedToBuildRequestId === id)) refresh.run();
  });
  refresh.run();
  return life;
}
