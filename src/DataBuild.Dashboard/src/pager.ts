// Paging through a list the API pages with page tokens (a forward cursor): the tokens of the pages seen are kept
// on a stack, so "previous" goes back without the service paging backwards. Nothing but one page is loaded.
import { button, h } from "./dom";

export class Pager {
  private readonly tokens: string[] = [""];
  private next = "";
  readonly element: HTMLElement;
  private readonly previousButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly where: HTMLElement;

  constructor(private readonly load: () => void) {
    this.previousButton = button("← Previous", () => this.go(-1));
    this.nextButton = button("Next →", () => this.go(1));
    this.where = h("span", { class: "page-number" });
    this.element = h("nav", { class: "pager", "aria-label": "pages" }, this.previousButton, this.where, this.nextButton);
    this.update();
  }

  /** The token of the page to load now ("" for the first). */
  get token(): string {
    return this.tokens[this.tokens.length - 1]!;
  }

  get isFirst(): boolean {
    return this.tokens.length === 1;
  }

  get hasNext(): boolean {
    return this.next !== "";
  }

  /** After a page is loaded: the token of the one after it ("" when it is the last). */
  loaded(nextToken: string): void {
    this.next = nextToken;
    this.update();
  }

  reset(): void {
    this.tokens.splice(1);
    this.next = "";
  }

  private go(step: number): void {
    if (step > 0 && this.next !== "") this.tokens.push(this.next);
    if (step < 0 && this.tokens.length > 1) this.tokens.pop();
    this.load();
  }

  private update(): void {
    this.previousButton.disabled = this.isFirst;
    this.nextButton.disabled = !this.hasNext;
    this.where.textContent = `page ${this.tokens.length}`;
  }
}
