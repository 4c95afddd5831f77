// Partitions: the catalog, filtered by glob and status, a page at a time; each row's status, job, the run and build
// request behind it, and build / force buttons. A partition the log never mentioned is shown when its exact ref is
// searched for, so it can be built from here too.
import { call, query, refPath } from "../api";
import { submitBuild } from "../actions";
import { button, errorText, field, h, link, notice, shortId, time, updateRows } from "../dom";
import { coalesce, refsOf } from "../follow";
import { buildHref, href, Lifetime, partitionHref, runHref, type Page, type Route } from "../page";
import { Pager } from "../pager";
import { partitionBadge, partitionName, partitionStatuses } from "../status";
import type { ListPartitionsResponse, PartitionDetail } from "../types";

const pageSize = 50;

export function mountPartitions(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const pattern = h("input", { type: "search", name: "pattern", placeholder: "e.g. reviews/** or a ref", value: route.params.get("pattern") ?? "", autocomplete: "off" });
  const status = h("select", { name: "status" }, h("option", { value: "" }, "any status"),
    partitionStatuses.map((s) => h("option", { value: s, selected: route.params.get("status") === s }, partitionName(s))));
  const filter = h("form", { class: "filters", role: "search", "aria-label": "filter partitions" },
    field("Glob", pattern), field("Status", status), h("button", { type: "submit" }, "Filter"));
  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = href(["partitions"], { pattern: pattern.value.trim(), status: status.value });
  });

  const say = notice();
  const refs = h("input", { type: "text", name: "refs", placeholder: "partition refs, separated by spaces", autocomplete: "off" });
  const force = h("input", { type: "checkbox", name: "force" });
  const buildForm = h("form", { class: "filters", "aria-label": "build partitions" },
    field("Build partitions", refs), h("label", { class: "check" }, force, " force"), h("button", { type: "submit" }, "Build"));
  buildForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const wanted = refs.value.split(/\s+/).filter((r) => r.length > 0);
    if (wanted.length > 0) void submitBuild(wanted, force.checked, say.show);
  });

  const body = h("tbody");
  const table = h("table", { class: "list", "aria-label": "partitions" },
    h("thead", {}, h("tr", {}, ["Partition", "Status", "Job", "Last built", "Run", "Build request", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
    body);
  const empty = h("p", { class: "empty" });
  const pager = new Pager(() => refresh.run());
  root.append(h("h1", {}, "Partitions"), filter, buildForm, say.element, h("div", { class: "table-wrap" }, table), empty, pager.element);

  let shown: string[] = [];
  const patternValue = route.params.get("pattern") ?? "";
  const statusValue = route.params.get("status") ?? "";

  const row = (p: PartitionDetail): HTMLTableRowElement =>
    h("tr", { "data-ref": p.partitionRef },
      h("td", { class: "ref" }, link(partitionHref(p.partitionRef), p.partitionRef)),
      h("td", {}, partitionBadge(p.status)),
      h("td", {}, p.jobLabel),
      h("td", {}, time(p.lastBuiltAt)),
      h("td", {}, p.jobRunId ? link(runHref(p.jobRunId), shortId(p.jobRunId), { "aria-label": `run ${p.jobRunId}` }) : ""),
      h("td", {}, p.buildRequestId ? link(buildHref(p.buildRequestId), shortId(p.buildRequestId), { "aria-label": `build request ${p.buildRequestId}` }) : ""),
      h("td", { class: "actions" },
        button("Build", () => void submitBuild([p.partitionRef], false, say.show), { "aria-label": `build ${p.partitionRef}` }),
        button("Force", () => void submitBuild([p.partitionRef], true, say.show), { "aria-label": `force a build of ${p.partitionRef}` })));

  const refresh = coalesce(async () => {
    try {
      await load();
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);

  const load = async (): Promise<void> => {
    const page = await call<ListPartitionsResponse>(
      `/api/v1/partitions${query({ pattern: patternValue, status: statusValue, pageSize, pageToken: pager.token })}`, { signal: life.abort.signal });
    let partitions = page.partitions ?? [];
    // An exact ref the log never mentioned: shown as not built, with the job that would build it.
    if (partitions.length === 0 && pager.isFirst && patternValue !== "" && !/[*{}?[\]]/.test(patternValue) && statusValue === "") {
      partitions = [await call<PartitionDetail>(`/api/v1/partitions/${refPath(patternValue)}`, { signal: life.abort.signal })];
    }
    if (life.disposed) return;
    shown = partitions.map((p) => p.partitionRef);
    updateRows(body, partitions.map(row), "data-ref");
    empty.textContent = partitions.length === 0 ? "No partitions match." : "";
    pager.loaded(page.nextPageToken ?? "");
  };

  // A page shows the refs between its first and last; an event about a ref in that range may change it.
  const touches = (ref: string): boolean => {
    if (shown.includes(ref)) return true;
    const first = shown[0];
    const last = shown[shown.length - 1];
    if (first === undefined || last === undefined) return true;
    return (pager.isFirst || ref >= first) && (!pager.hasNext || ref <= last);
  };
  life.events((events) => {
    if (events.some((e) => (e.event.partitionEvent || e.event.jobEvent) && refsOf(e).some(touches))) refresh.run();
  });
  refresh.run();
  return life;
}
