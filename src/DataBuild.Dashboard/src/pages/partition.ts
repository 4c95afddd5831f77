// One partition: its status and why, the job, run and build request behind it, what it was built from and what
// was built from it (as last built), build / force buttons and invalidate with a reason. Follows the events about it.
import { call, refPath } from "../api";
import { invalidate, submitBuild } from "../actions";
import { button, errorText, h, link, notice, shortId, time } from "../dom";
import { coalesce, refsOf } from "../follow";
import { buildHref, Lifetime, partitionHref, runHref, type Page, type Route } from "../page";
import { partitionBadge } from "../status";
import type { PartitionDetail } from "../types";

export function mountPartition(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const ref = route.parts.slice(1).join("/");
  const say = notice();
  const details = h("dl", { class: "details" });
  const upstreams = h("ul", { class: "refs", "aria-label": "upstreams" });
  const downstreams = h("ul", { class: "refs", "aria-label": "downstreams" });
  const reason = h("input", { type: "text", placeholder: "reason", "aria-label": "invalidation reason" });
  root.append(
    h("h1", {}, h("span", { class: "kind" }, "Partition "), h("span", { class: "ref" }, ref)),
    h("div", { class: "toolbar" },
      button("Build", () => void submitBuild([ref], false, say.show)),
      button("Force", () => void submitBuild([ref], true, say.show), { "aria-label": "force a build" }),
      reason,
      button("Invalidate", () => void invalidate([ref], reason.value, say.show).then((done) => { if (done) reason.value = ""; }))),
    say.element, details,
    h("section", { "aria-labelledby": "upstreams" }, h("h2", { id: "upstreams" }, "Upstreams (what its last build read)"), upstreams),
    h("section", { "aria-labelledby": "downstreams" }, h("h2", { id: "downstreams" }, "Downstreams (built from it)"), downstreams));

  const item = (term: string, value: Node | string): Node[] => [h("dt", {}, term), h("dd", {}, value)];
  const refItem = (r: string, note = ""): HTMLElement => h("li", {}, link(partitionHref(r), r), note ? h("span", { class: "muted" }, ` ${note}`) : null);

  // Its own events, and its upstreams' (a rebuilt upstream makes it stale).
  let lineage = new Set<string>();
  const refresh = coalesce(async () => {
    try {
      const p = await call<PartitionDetail>(`/api/v1/partitions/${refPath(ref)}`, { signal: life.abort.signal });
      if (life.disposed) return;
      details.replaceChildren(
        ...item("Status", partitionBadge(p.status)),
        ...item("Job", p.jobLabel || "no job builds it"),
        ...item("Last built", time(p.lastBuiltAt) || "never"),
        ...item("Job run", p.jobRunId ? link(runHref(p.jobRunId), shortId(p.jobRunId), { "aria-label": `run ${p.jobRunId}` }) : "none"),
        ...item("Build request", p.buildRequestId ? link(buildHref(p.buildRequestId), shortId(p.buildRequestId), { "aria-label": `build request ${p.buildRequestId}` }) : "none"),
        ...(p.message ? item("Message", p.message) : []),
        ...(p.staleReason ? item("Stale because", p.staleReason) : []),
        ...(p.failedBuilds ? item("Failed builds in a row", String(p.failedBuilds)) : []));
      const ups = p.upstreams ?? [];
      lineage = new Set(ups.map((u) => u.partitionRef.str));
      upstreams.replaceChildren(...(ups.length ? ups.map((u) => refItem(u.partitionRef.str, u.depType === "QUERY" ? "(query)" : "")) : [h("li", { class: "muted" }, "none")]));
      const downs = p.downstreams ?? [];
      downstreams.replaceChildren(...(downs.length ? downs.map((d) => refItem(d)) : [h("li", { class: "muted" }, "none")]));
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);
  life.events((events) => {
    if (events.some((e) => refsOf(e).some((r) => r === ref || lineage.has(r)))) refresh.run();
  });
  refresh.run();
  return life;
}
