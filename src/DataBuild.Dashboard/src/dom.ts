// Building the page: elements made with textContent (never innerHTML from data), links, and the formats of
// times, durations and lists the pages share.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Shows `rows` in `body`, keeping every row and cell a refresh did not change. Live lists are read again after each
 * batch of events; swapping out the link under the pointer loses the user's click (its mousedown and mouseup land on
 * two elements). Rows are matched by their `key` attribute and cells by position; a cell is kept when it is equal
 * to its new one, listeners and all, so a cell's handlers must follow from what it shows. A two-level stand-in for
 * morphdom.
 */
export function updateRows(body: HTMLTableSectionElement, rows: HTMLTableRowElement[], key: string): void {
  const before = new Map<string, HTMLTableRowElement>();
  for (const row of body.rows) before.set(row.getAttribute(key) ?? "", row);
  const next = rows.map((row) => {
    const id = row.getAttribute(key) ?? "";
    const old = before.get(id);
    if (old === undefined || old.cells.length !== row.cells.length || old.attributes.length !== row.attributes.length) return row;
    before.delete(id);
    [...row.cells].forEach((cell, i) => {
      const kept = old.cells[i]!;
      if (!kept.isEqualNode(cell)) old.replaceChild(cell, kept);
    });
    return old;
  });
  // Moving a kept row out and back in loses a press on it too: the rows are put in only when the order changed.
  if (next.length !== body.rows.length || next.some((row, i) => body.rows[i] !== row)) body.replaceChildren(...next);
}

export const link = (href: string, text: string, attributes: Record<string, string> = {}): HTMLAnchorElement =>
  h("a", { href, ...attributes }, text);

export function button(text: string, onClick: (b: HTMLButtonElement) => void, attributes: Record<string, string> = {}): HTMLButtonElement {
  const b = h("button", { type: "button", ...attributes }, text);
  b.addEventListener("click", () => onClick(b));
  return b;
}

/** A labelled form field: the label wraps the control, so it needs no id. */
export const field = (label: string, control: HTMLElement): HTMLLabelElement => h("label", { class: "field" }, h("span", {}, label), control);

const nanosPerMs = 1e6;

export function time(unixNanos: number): string {
  if (!unixNanos) return "";
  return new Date(Number(unixNanos) / nanosPerMs).toLocaleString();
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** From start to end, or to now while it runs (Unix nanoseconds). */
export const span = (startNanos: number, endNanos: number): string =>
  startNanos ? duration(((endNanos || Date.now() * nanosPerMs) - startNanos) / nanosPerMs) : "";

/** The first item and how many more, as the CLI shows lists. */
export const firstAndMore = (items: string[]): string =>
  items.length === 0 ? "" : items.length === 1 ? items[0]! : `${items[0]} + ${items.length - 1} more`;

/** The end of an id: ids are UUIDv7, whose first digits are a timestamp that ids made together share. */
export const shortId = (id: string): string => `…${id.slice(-8)}`;

/** A message line under a form or a section (role=status, so screen readers hear it). */
export function notice(): { element: HTMLElement; show(content: Node | string, error?: boolean): void; clear(): void } {
  const element = h("p", { class: "notice", role: "status" });
  return {
    element,
    show(content, error = false) {
      element.replaceChildren(content);
      element.classList.toggle("error", error);
    },
    clear() {
      element.textContent = "";
      element.classList.remove("error");
    },
  };
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
