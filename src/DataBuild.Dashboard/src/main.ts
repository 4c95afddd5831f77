// The dashboard's entry: the header, the hash router (#/partitions, #/builds/<id>, #/runs/<id>, #/wants, #/events),
// and the one follower of the event stream every page listens to.
import { call } from "./api";
import { h } from "./dom";
import { startFollowing } from "./follow";
import type { Page, Route } from "./page";
import type { ServiceInfo } from "./types";
import { mountPartitions } from "./pages/partitions";
import { mountPartition } from "./pages/partition";
import { mountBuilds } from "./pages/builds";
import { mountBuild } from "./pages/build";
import { mountRun } from "./pages/run";
import { mountWants } from "./pages/wants";
import { mountEvents } from "./pages/events";

type Mount = (root: HTMLElement, route: Route) => Page;

const routes: Record<string, { mount: Mount; nav: string }> = {
  partitions: { mount: mountPartitions, nav: "partitions" },
  partition: { mount: mountPartition, nav: "partitions" },
  builds: { mount: (root, route) => (route.parts.length > 1 ? mountBuild(root, route) : mountBuilds(root, route)), nav: "builds" },
  runs: { mount: mountRun, nav: "builds" },
  wants: { mount: mountWants, nav: "wants" },
  events: { mount: mountEvents, nav: "events" },
};

function parse(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const at = text.indexOf("?");
  const path = at >= 0 ? text.slice(0, at) : text;
  const parts = path.split("/").filter((p) => p.length > 0).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(at >= 0 ? text.slice(at + 1) : "") };
}

let current: Page | null = null;

function show(): void {
  const route = parse(location.hash);
  const name = route.parts[0] ?? "partitions";
  const target = routes[name] ?? routes.partitions!;
  current?.dispose();
  const main = document.getElementById("main")!;
  main.replaceChildren();
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (a.dataset.nav === target.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  current = target.mount(main, route);
  main.focus({ preventScroll: true });
}

async function start(): Promise<void> {
  const live = document.getElementById("live")!;
  const info = await call<ServiceInfo>("/api/v1/info");
  document.getElementById("graph-label")!.textContent = info.graphLabel;
  document.title = `${info.graphLabel} · DataBuild`;
  startFollowing(info.lastIndex, (ok) => {
    live.textContent = ok ? "live" : "reconnecting…";
    live.className = ok ? "live" : "live offline";
  });
  window.addEventListener("hashchange", show);
  show();
}

start().catch((e: unknown) => {
  const main = document.getElementById("main")!;
  main.replaceChildren(h("p", { class: "notice error", role: "alert" }, `The service did not answer: ${e instanceof Error ? e.message : String(e)}`));
});
