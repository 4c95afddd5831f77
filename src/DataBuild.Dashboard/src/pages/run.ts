// One job run: its details and its log. The log is read by offset (GET /api/v1/runs/{id}/log?offset=N) and keeps
// streaming while the run is live: it reads on at once after the run's events, and every second otherwise, until
// the service says the log is complete. At most `maxLogChars` stay on the page; older output is cut from the top.
import { call, query } from "../api";
import { duration, errorText, h, link, notice, shortId, span, time } from "../dom";
import { coalesce } from "../follow";
import { buildHref, Lifetime, partitionHref, type Page, type Route } from "../page";
import { runBadge } from "../status";
import type { JobRunDetail, RunLogChunk } from "../types";

const maxLogChars = 1 << 20;
const liveReadMs = 1000;

export function mountRun(root: HTMLElement, route: Route): Page {
  const life = new Lifetime();
  const id = route.parts[1]!;
  const say = notice();
  const details = h("dl", { class: "details" });
  const logText = document.createTextNode("");
  const log = h("pre", { class: "log", tabindex: "0", "aria-label": "log", "aria-live": "off" }, logText);
  const logState = h("p", { class: "muted", role: "status" }, "Reading the log…");
  root.append(
    h("h1", {}, h("span", { class: "kind" }, "Job run "), h("span", { class: "mono" }, id)),
    say.element, details,
    h("section", { "aria-labelledby": "run-log" }, h("h2", { id: "run-log" }, "Log"), logState, log));

  const item = (term: string, value: Node | string): Node[] => [h("dt", {}, term), h("dd", {}, value)];
  const refresh = coalesce(async () => {
    try {
      const r = await call<JobRunDetail>(`/api/v1/runs/${id}`, { signal: life.abort.signal });
      if (life.disposed) return;
      const missing = (r.missingDeps ?? []).flatMap((m) => (m.missing ?? []).map((p) => p.str));
      details.replaceChildren(
        ...item("Status", runBadge(r.status)),
        ...item("Job", r.jobLabel + (r.jobVersion ? ` (version ${r.jobVersion})` : "")),
        ...item("Build request", link(buildHref(r.buildRequestId), shortId(r.buildRequestId), { "aria-label": `build request ${r.buildRequestId}` })),
        ...item("Targets", h("span", {}, (r.targets ?? []).flatMap((t, i) => [i > 0 ? " " : "", link(partitionHref(t), t)]))),
        ...item("Attempt", String(r.attempt)),
        ...item("Scheduled", time(r.scheduledAt)),
        ...item("Started", time(r.startedAt) || "not yet"),
        ...item("Duration", r.durationMs ? duration(r.durationMs) : r.startedAt ? `${span(r.startedAt, r.finishedAt)} so far` : ""),
        ...(r.finishedAt && r.status !== "JOB_CANCELLED" ? item("Exit code", String(r.exitCode)) : []),
        ...(r.config?.args?.length ? item("Arguments", h("code", {}, r.config.args.join(" "))) : []),
        ...(missing.length ? item("Reported missing", missing.join(" ")) : []),
        ...(r.message ? item("Message", r.message) : []));
    } catch (e) {
      if (!life.disposed) say.show(errorText(e), true);
    }
  }, 100);
  life.add(refresh.stop);

  // Woken early by the run's events; otherwise reads on every second while the run is live.
  let wake: (() => void) | null = null;
  life.events((events) => {
    if (events.some((e) => e.event.jobEvent?.jobRunId === id)) {
      refresh.run();
      wake?.();
    }
  });
  life.add(() => wake?.());

  let cut = 0;
  const appendLog = (text: string): void => {
    if (text.length === 0) return;
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    logText.appendData(text);
    if (logText.length > maxLogChars) {
      const drop = logText.length - maxLogChars;
      logText.deleteData(0, drop);
      cut += drop;
    }
    if (atBottom) log.scrollTop = log.scrollHeight;
  };

  const follow = async (): Promise<void> => {
    let offset = 0;
    while (!life.disposed) {
      let chunk: RunLogChunk;
      try {
        chunk = await call<RunLogChunk>(`/api/v1/runs/${id}/log${query({ offset })}`, { signal: life.abort.signal });
      } catch (e) {
        if (life.disposed) return;
        logState.textContent = `The log cannot be read: ${errorText(e)}`;
        return;
      }
      if (life.disposed) return;
      appendLog(chunk.data ?? "");
      offset = chunk.nextOffset;
      const trimmed = cut > 0 ? ` The first ${cut} characters are not shown.` : "";
      if (chunk.complete) {
        logState.textContent = `The run has ended; its whole log is shown.${trimmed}`;
        return;
      }
      logState.textContent = `The run is live: its log is streaming.${trimmed}`;
      if ((chunk.data ?? "").length > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, liveReadMs);
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
  };
  refresh.run();
  void follow();
  return life;
}
