// Build requests, newest first, a page at a time: status, what was requested, when, how long, job counts.
import { call, query } from "../api";
import { errorText, firstAndMore, h, link, notice, shortId, span, time, updateRows } from "../dom";
import { coalesce } from "../follow";
import { buildHref, Lifetime, type Page, type Route } from "../page";
import { Pager } from "../pager";
import { requestBadge } from "../status";
import type { BuildRequestDetail, ListBuildsResponse } from "../types";

const pageSize = 25;

export function mountBuilds(root: HTMLElement, _route: Route): Page {
  const life = new Lifetime();
  const say = notice();
  const body = h("tbody");
  const pager = new Pager(() => refresh.run());
  const empty = h("p", { class: "empty" });
  root.append(h("h1", {}, "Build requests"), say.element,
    h("div", { class: "table-wrap" }, h("table", { class: "list", "aria-label": "build requests" },
      h("thead", {}, h("tr", {}, ["Build request", "Status", "Requested", "Received", "Duration", "Jobs"].map((c) => h("th", { scope: "col" }, c)))),
      body)),
    empty, pager.element);

  let shown = new Set<string>();
  const row = (b: BuildRequestDetail): HTMLTableRowElement =>
    h("tr", { "data-build-request": b.buildRequestId },
      h("td", {}, link(buildHref(b.buildRequestId), shortId(b.buildRequestId), { "aria-label": `build request ${b.buildRequestId}` })),
      h("td", {}, requestBadge(b.status)),
      h("td", { class: "ref" }, firstAndMore(b.requestedPartitions ?? []),
        ...(b.backfillId ? [" ", h("span", { class: "tag", "data-backfill": b.backfillId, title: `backfill ${b.backfillId}` }, `backfill ${shortId(b.backfillId)}`)] : [])),
      h("td", {}, time(b.receivedAt)),
      h("td", {}, span(b.receivedAt, b.finishedAt)),
      h("td", {}, `${b.jobsCompleted} done` + (b.jobsFailed ? `, ${b.jobsFailed} failed` : "") + (b.jobsCancelled ? `, ${b.jobsCancelled} cancelled` : "")));

  const refresh = coalesce(async () => {
    try {
      const page = await call<ListBuildsResponse>(`/api/v1/builds${query({ pageSize, pageToken: pager.token })}`, { signal: life.abort.signal });
      if (life.disposed) return;
      const builds = page.builds ?? [];
      shown = new Set(builds.map((b) => b.buildRequestId));
      updateRows(body, builds.map(row), "data-build-request");
      empty.textContent = builds.length === 0 ? "No build requests yet." : "";
      pager.loaded(page.nextPageToken ?? "");
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);
  // A new request lands on the first page; a shown one changes with its own events.
  life.events((events) => {
    if (events.some((e) => e.event.buildRequestId && ((pager.isFirst && e.event.buildRequestEvent) || shown.has(e.event.buildRequestId)))) refresh.run();
  });
  refresh.run();
  return life;
}
