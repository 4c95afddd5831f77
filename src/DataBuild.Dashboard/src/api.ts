// Calls to the service's public API (/api/v1/, docs/service.md), with its bearer token when it has one: asked
// once in a dialog when a call gets 401, then kept in this tab's session storage.
import type { ProblemDetails } from "./types";

const tokenKey = "databuild.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let asking: Promise<void> | null = null;

function askForToken(rejected: boolean): Promise<void> {
  asking ??= new Promise<void>((resolve) => {
    const dialog = document.getElementById("token-dialog") as HTMLDialogElement;
    const form = dialog.querySelector("form")!;
    const input = dialog.querySelector("input")!;
    const note = dialog.querySelector<HTMLElement>(".token-note")!;
    note.textContent = rejected ? "The service did not accept that token. Enter the token of its --token-file." : "";
    input.value = "";
    form.onsubmit = (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (token.length === 0) return;
      sessionStorage.setItem(tokenKey, token);
      dialog.close();
      asking = null;
      resolve();
    };
    // Escape must not leave every call waiting: the dialog stays until a token is given.
    dialog.oncancel = (e) => e.preventDefault();
    dialog.showModal();
    input.focus();
  });
  return asking;
}

export interface CallOptions {
  method?: "GET" | "POST";
  body?: unknown;
  signal?: AbortSignal;
}

export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  for (;;) {
    const token = sessionStorage.getItem(tokenKey);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const init: RequestInit = { method: options.method ?? "GET", headers, cache: "no-store" };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (options.signal) init.signal = options.signal;
    const response = await fetch(path, init);
    if (response.status === 401) {
      if (token !== null) sessionStorage.removeItem(tokenKey);
      await askForToken(token !== null);
      continue;
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => null)) as ProblemDetails | null;
      throw new ApiError(response.status, problem?.detail ?? `${response.status} ${response.statusText}`, problem?.field);
    }
    return (await response.json()) as T;
  }
}

export const post = <T>(path: string, body: unknown = {}): Promise<T> => call<T>(path, { method: "POST", body });

/** A query string from the given values; empty and undefined ones are left out, arrays repeat the name. */
export function query(values: Record<string, string | number | boolean | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === "" || value === false) continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, v);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text.length > 0 ? `?${text}` : "";
}

/** A partition ref as a path: its slashes stay slashes (the service reads `%2F` literally), the rest is encoded. */
export const refPath = (ref: string): string => ref.split("/").map(encodeURIComponent).join("/");
