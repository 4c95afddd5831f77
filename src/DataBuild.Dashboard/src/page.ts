// What a page is to the router: mounted into the main element, disposed when the user goes elsewhere (its event
// listeners, timers and requests end with it).
import { onEvents } from "./follow";
import type { StoredEvent } from "./types";

export interface Route {
  /** The path after "#", e.g. "/builds/0190…"; its parts are decoded. */
  parts: string[];
  params: URLSearchParams;
}

export interface Page {
  dispose(): void;
}

/** Collects what a page must undo when it goes: listeners, timers, aborted requests. */
export class Lifetime {
  private readonly undo: (() => void)[] = [];
  readonly abort = new AbortController();

  add(undo: () => void): void {
    this.undo.push(undo);
  }

  events(listener: (events: StoredEvent[]) => void): void {
    this.add(onEvents(listener));
  }

  get disposed(): boolean {
    return this.abort.signal.aborted;
  }

  dispose(): void {
    this.abort.abort();
    for (const undo of this.undo.splice(0)) undo();
  }
}

/** The hash of a route, e.g. ["builds", id] → "#/builds/<id>". */
export function href(parts: string[], params?: Record<string, string>): string {
  const path = parts.map(encodeURIComponent).join("/");
  const search = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "")).toString() : "";
  return `#/${path}${search ? `?${search}` : ""}`;
}

export const partitionHref = (ref: string): string => href(["partition", ref]);
export const buildHref = (id: string): string => href(["builds", id]);
export const runHref = (id: string): string => href(["runs", id]);
