// Live updates: one follower of GET /api/v1/events?since=…&wait=… for the whole page. It starts at the log's end
// (from /api/v1/info), passes each page's nextSinceIndex on, and hands every event to the listeners of the page
// shown now. It keeps no events, so a page left open stays small however long the log grows.
import { call, query } from "./api";
import type { EventPage, StoredEvent } from "./types";

type Listener = (events: StoredEvent[]) => void;

const listeners = new Set<Listener>();
let since = 0;
let started = false;

/** Calls `listener` with each batch of new events until the returned function is called. */
export function onEvents(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Where the follower is in the log: events up to here have been handed out. */
export const cursor = (): number => since;

const waitSeconds = 30;

export function startFollowing(from: number, onState: (live: boolean) => void): void {
  if (started) return;
  started = true;
  since = from;
  onState(true);
  void (async () => {
    let backoff = 1000;
    for (;;) {
      try {
        const page = await call<EventPage>(`/api/v1/events${query({ since, limit: 1000, wait: waitSeconds })}`);
        since = page.nextSinceIndex;
        onState(true);
        backoff = 1000;
        const events = page.events ?? [];
        if (events.length > 0) for (const listener of [...listeners]) listener(events);
      } catch {
        // The service restarted or the network dropped: the cursor is a position in the log, so nothing is missed.
        onState(false);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 15000);
      }
    }
  })();
}

/**
 * Runs `refresh` after events, at most one at a time and coalesced: events arriving while it runs make it run
 * once more afterwards. What a page shows is re-read from the API, never patched from events by hand.
 */
export function coalesce(refresh: () => Promise<void>, delayMs = 150): { run(): void; stop(): void } {
  let stopped = false;
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const go = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await refresh();
    } catch {
      // A failed refresh is retried by the next event; the page keeps what it showed.
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    if (!stopped) timer ??= setTimeout(() => void go(), delayMs);
  };
  const stop = (): void => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
  return { run: schedule, stop };
}

/** The partition refs an event is about. */
export function refsOf(stored: StoredEvent): string[] {
  const e = stored.event;
  if (e.partitionEvent) return [e.partitionEvent.partitionRef.str];
  if (e.jobEvent) return (e.jobEvent.targetPartitions ?? []).map((r) => r.str);
  if (e.delegationEvent) return [e.delegationEvent.partitionRef.str];
  if (e.wantEvent) return (e.wantEvent.partitions ?? []).map((r) => r.str);
  if (e.invalidationEvent) return (e.invalidationEvent.partitionRefs ?? []).map((r) => r.str);
  if (e.buildRequestEvent) return (e.buildRequestEvent.requestedPartitions ?? []).map((r) => r.str);
  return [];
}
