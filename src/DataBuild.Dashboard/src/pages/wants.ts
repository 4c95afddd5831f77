// Wants: the active ones (or all), as trees of parent and child wants, each with its TTL, SLA state and what it
// is still waiting for; a form to create one and a cancel button on each active one.
import { call, post, query } from "../api";
import { button, errorText, field, h, link, notice, shortId, time } from "../dom";
import { coalesce } from "../follow";
import { buildHref, href, Lifetime, partitionHref, type Page, type Route } from "../page";
import { wantBadge } from "../status";
import type { WantDetail } from "../types";

function seconds(value: number): string {
  if (!value) return "";
  const units: [number, string][] = [[86400, "d"], [3600, "h"], [60, "m"]];
  for (const [size, unit] of units) if (value % size === 0) return `${value / size}${unit}`;
  return `${value}s`;
}

export function mountWants(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const showAll = route.params.get("all") === "true";
  const say = notice();
  const partitions = h("textarea", { name: "partitions", rows: "2", required: true, placeholder: "one partition ref per line" });
  const ttl = h("input", { type: "text", name: "ttl", placeholder: "e.g. 7d", size: "6" });
  const sla = h("input", { type: "text", name: "sla", placeholder: "e.g. 6h", size: "6" });
  const reason = h("input", { type: "text", name: "reason", placeholder: "why it is wanted" });
  const form = h("form", { class: "filters", "aria-label": "create a want" },
    field("Partitions", partitions), field("TTL", ttl), field("SLA", sla), field("Reason", reason), h("button", { type: "submit" }, "Create want"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const refs = partitions.value.split(/\s+/).filter((r) => r.length > 0);
    post<WantDetail>("/api/v1/wants", { partitions: refs, ttl: ttl.value.trim(), sla: sla.value.trim(), reason: reason.value.trim(), requestedBy: "dashboard" }).then(
      (want) => {
        say.show(`Want ${shortId(want.wantId)} created; the service's reconciler builds what it lacks.`);
        partitions.value = "";
        refresh.run();
      },
      (err: unknown) => say.show(`Could not create the want: ${errorText(err)}`, true));
  });
  const toggle = link(href(["wants"], showAll ? {} : { all: "true" }), showAll ? "Show active wants only" : "Show ended wants too");
  const tree = h("ul", { class: "want-tree", "aria-label": "wants" });
  root.append(h("h1", {}, "Wants"), form, say.element, h("p", {}, toggle), tree);

  let watched = new Set<string>();
  const node = (w: WantDetail, children: Map<string, WantDetail[]>): HTMLLIElement => {
    const kids = children.get(w.wantId) ?? [];
    const missing = w.missing ?? [];
    const active = w.state === "active";
    return h("li", { class: "want", "data-want": w.wantId },
      h("div", { class: "want-head" },
        h("span", { class: "mono" }, shortId(w.wantId)), " ", wantBadge(w.state), " ",
        w.sla !== "none" ? h("span", {}, "SLA ", wantBadge(w.sla)) : null, " ",
        w.failing ? h("span", { class: "badge failed" }, "failing") : null,
        active ? button("Cancel", (b) => {
          b.disabled = true;
          post<{ cancelled: string[] }>(`/api/v1/wants/${w.wantId}:cancel`, { reason: "cancelled from the dashboard" }).then(
            (r) => {
              say.show(`Cancelled ${r.cancelled.length} want${r.cancelled.length === 1 ? "" : "s"}.`);
              refresh.run();
            },
            (err: unknown) => {
              b.disabled = false;
              say.show(`Could not cancel: ${errorText(err)}`, true);
            });
        }, { "aria-label": `cancel want ${w.wantId}`, class: "danger" }) : null),
      h("dl", { class: "details compact" },
        h("dt", {}, "Partitions"), h("dd", {}, (w.partitions ?? []).flatMap((p, i) => [i > 0 ? " " : "", link(partitionHref(p), p)])),
        missing.length ? [h("dt", {}, "Waiting for"), h("dd", {}, missing.flatMap((p, i) => [i > 0 ? " " : "", link(partitionHref(p), p)]))] : null,
        h("dt", {}, "Created"), h("dd", {}, time(w.createdAt) + (w.requestedBy ? ` by ${w.requestedBy}` : "")),
        h("dt", {}, "TTL"), h("dd", {}, w.ttlSeconds ? `${seconds(w.ttlSeconds)}, expires ${time(w.expiresAt)}` : "never expires"),
        w.slaSeconds ? [h("dt", {}, "SLA"), h("dd", {}, `${seconds(w.slaSeconds)}, due ${time(w.slaDeadline)}`)] : null,
        w.buildRequestId ? [h("dt", {}, "Build request"), h("dd", {}, link(buildHref(w.buildRequestId), shortId(w.buildRequestId), { "aria-label": `build request ${w.buildRequestId}` }))] : null,
        w.note || w.message ? [h("dt", {}, "Note"), h("dd", {}, w.note || w.message)] : null,
        w.reason ? [h("dt", {}, "Reason"), h("dd", {}, w.reason)] : null),
      kids.length ? h("ul", { "aria-label": `wants made for ${shortId(w.wantId)}` }, kids.map((k) => node(k, children))) : null);
  };

  let clock: number | undefined;
  life.add(() => window.clearTimeout(clock));
  const refresh = coalesce(async () => {
    try {
      const { wants = [] } = await call<{ wants?: WantDetail[] }>(`/api/v1/wants${query({ all: showAll })}`, { signal: life.abort.signal });
      if (life.disposed) return;
      const ids = new Set(wants.map((w) => w.wantId));
      const children = new Map<string, WantDetail[]>();
      const roots: WantDetail[] = [];
      for (const w of wants) {
        if (w.parentWantId && ids.has(w.parentWantId)) children.set(w.parentWantId, [...(children.get(w.parentWantId) ?? []), w]);
        else roots.push(w);
      }
      watched = new Set(wants.flatMap((w) => [...(w.missing ?? []), ...(w.partitions ?? [])]));
      tree.replaceChildren(...(roots.length ? roots.map((w) => node(w, children)) : [h("li", { class: "muted" }, showAll ? "No wants." : "No active wants.")]));
      // An SLA turns at risk by the clock alone, with no event to say so: look again then.
      const turns = wants.filter((w) => w.state === "active" && w.sla === "on_time" && w.slaAtRiskAt > 0).map((w) => w.slaAtRiskAt / 1e6);
      window.clearTimeout(clock);
      if (turns.length) clock = window.setTimeout(() => refresh.run(), Math.min(Math.max(0, Math.min(...turns) - Date.now()) + 250, 2 ** 31 - 1));
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);
  // A want changes with its own events, and with those of the partitions it waits for.
  life.events((events) => {
    if (events.some((e) => e.event.wantEvent || (e.event.partitionEvent && watched.has(e.event.partitionEvent.partitionRef.str)))) refresh.run();
  });
  refresh.run();
  return life;
}
