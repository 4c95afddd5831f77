// Events: the raw log with the API's filters, newest at the top, following live with its own long poll
// (the filters are the service's). It starts a little before the log's end and keeps at most `maxRows` rows.
import { call, query } from "../api";
import { button, errorText, field, h, link, notice, shortId, time } from "../dom";
import { cursor } from "../follow";
import { buildHref, href, Lifetime, partitionHref, runHref, type Page, type Route } from "../page";
import { enumName } from "../status";
import type { EventPage, StoredEvent } from "../types";

const maxRows = 500;
const startBack = 200;
const filterNames = ["partition", "pattern", "job", "run", "request", "want"] as const;

function describe(stored: StoredEvent): { kind: string; what: (Node | string)[] } {
  const e = stored.event;
  if (e.partitionEvent) {
    const ref = e.partitionEvent.partitionRef.str;
    return { kind: "partition", what: [link(partitionHref(ref), ref), ` ${enumName(e.partitionEvent.status)}`, e.partitionEvent.message ? `: ${e.partitionEvent.message}` : ""] };
  }
  if (e.jobEvent) {
    const j = e.jobEvent;
    return { kind: "job", what: [j.jobLabel?.label ?? "", " ", link(runHref(j.jobRunId), shortId(j.jobRunId), { "aria-label": `run ${j.jobRunId}` }), ` ${enumName(j.status)}`, j.message ? `: ${j.message}` : ""] };
  }
  if (e.buildRequestEvent) return { kind: "build request", what: [enumName(e.buildRequestEvent.status), e.buildRequestEvent.message ? `: ${e.buildRequestEvent.message}` : ""] };
  if (e.delegationEvent) return { kind: "delegation", what: [`${e.delegationEvent.partitionRef.str} to `, link(buildHref(e.delegationEvent.delegatedToBuildRequestId), shortId(e.delegationEvent.delegatedToBuildRequestId))] };
  if (e.jobGraphEvent) return { kind: "job graph", what: [`${e.jobGraphEvent.jobGraph.nodes?.length ?? 0} tasks`, e.jobGraphEvent.message ? `: ${e.jobGraphEvent.message}` : ""] };
  if (e.wantEvent) return { kind: "want", what: [`${shortId(e.wantEvent.wantId)} ${enumName(e.wantEvent.status)}`, e.wantEvent.message ? `: ${e.wantEvent.message}` : ""] };
  if (e.heartbeatEvent) return { kind: "heartbeat", what: [""] };
  return { kind: "other", what: [""] };
}

export function mountEvents(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const say = notice();
  const inputs = filterNames.map((name) => h("input", { type: "text", name, value: route.params.get(name) ?? "", autocomplete: "off", size: "14" }));
  const sinceInput = h("input", { type: "number", name: "since", min: "0", value: route.params.get("since") ?? "", placeholder: "recent", size: "8" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "filter events" },
    filterNames.map((name, i) => field(name, inputs[i]!)), field("since", sinceInput), h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values: Record<string, string> = {};
    filterNames.forEach((name, i) => (values[name] = inputs[i]!.value.trim()));
    values.since = sinceInput.value.trim();
    location.hash = href(["events"], values);
  });
  let paused = false;
  const pause = button("Pause", (b) => {
    paused = !paused;
    b.textContent = paused ? "Resume" : "Pause";
    b.setAttribute("aria-pressed", String(paused));
    if (!paused) wake?.();
  }, { "aria-pressed": "false" });
  const body = h("tbody");
  const state = h("p", { class: "muted", role: "status" });
  root.append(h("h1", {}, "Events"), form, h("div", { class: "toolbar" }, pause, state), say.element,
    h("div", { class: "table-wrap" }, h("table", { class: "list events", "aria-label": "events" },
      h("thead", {}, h("tr", {}, ["Index", "Time", "Build request", "Kind", "What", "Event"].map((c) => h("th", { scope: "col" }, c)))),
      body)));

  const row = (stored: StoredEvent): HTMLTableRowElement => {
    const { kind, what } = describe(stored);
    const e = stored.event;
    return h("tr", { "data-index": String(stored.index) },
      h("td", {}, String(stored.index)),
      h("td", {}, time(e.timestamp)),
      h("td", {}, e.buildRequestId ? link(buildHref(e.buildRequestId), shortId(e.buildRequestId), { "aria-label": `build request ${e.buildRequestId}` }) : ""),
      h("td", {}, kind),
      h("td", {}, ...what),
      h("td", {}, h("details", {}, h("summary", {}, "JSON"), h("pre", {}, JSON.stringify(e, null, 2)))));
  };

  const filters: Record<string, string> = {};
  for (const name of filterNames) filters[name] = route.params.get(name) ?? "";
  let wake: (() => void) | null = null;
  life.add(() => wake?.());

  const follow = async (): Promise<void> => {
    const given = route.params.get("since");
    let since = given !== null && given !== "" ? Number(given) : Math.max(0, cursor() - startBack);
    while (!life.disposed) {
      if (paused) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      try {
        const page = await call<EventPage>(`/api/v1/events${query({ since, limit: 200, wait: 30, ...filters })}`, { signal: life.abort.signal });
        if (life.disposed) return;
        since = page.nextSinceIndex;
        const events = page.events ?? [];
        for (const stored of events) body.prepend(row(stored));
        while (body.rows.length > maxRows) body.lastElementChild!.remove();
        state.textContent = `Following from event ${since}; showing the newest ${Math.min(body.rows.length, maxRows)}.`;
        say.clear();
      } catch (e) {
        if (life.disposed) return;
        say.show(errorText(e), true);
        // A bad filter stays bad: wait for the user to change it; a lost service is tried again.
        if (e instanceof Error && "status" in e && (e as { status: number }).status === 400) return;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  };
  void follow();
  return life;
}
