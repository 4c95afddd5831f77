// A build request's job graph: the Mermaid flowchart the service draws (GET /api/v1/builds/{id}/graph), rendered
// with the mermaid package (loaded on this page only). When only statuses change, the drawn nodes are recoloured
// in place (each node's class is the one the service names); a changed graph is drawn again.
import { h } from "./dom";
import { partitionHref, runHref } from "./page";
import type { BuildGraph, BuildGraphNode } from "./types";

type Mermaid = typeof import("mermaid").default;

let mermaidLoading: Promise<Mermaid> | null = null;

function loadMermaid(): Promise<Mermaid> {
  mermaidLoading ??= import("mermaid").then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "default",
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      flowchart: { htmlLabels: false, useMaxWidth: true },
    });
    return mermaid;
  });
  return mermaidLoading;
}

/** Graphs larger than this are listed, not drawn: a drawing that size helps nobody and takes long. */
const maxDrawnNodes = 400;

let drawings = 0;

export class GraphView {
  readonly element = h("div", { class: "graph", role: "img", "aria-label": "job graph" });
  private structure = "";
  private svgId = "";
  private drawnClasses = new Map<string, string>();

  /** Shows `graph`: recolours the drawing when only classes changed, draws it again otherwise. */
  async show(graph: BuildGraph): Promise<void> {
    const nodes = graph.nodes ?? [];
    if (nodes.length === 0) {
      this.element.replaceChildren(h("p", { class: "muted" }, "Not planned yet: the graph appears once the build is analysed."));
      this.structure = "";
      return;
    }
    if (nodes.length > maxDrawnNodes) {
      this.element.replaceChildren(h("p", { class: "muted" }, `${nodes.length} nodes: too many to draw; the runs are listed below.`));
      this.structure = "";
      return;
    }
    const structure = graph.mermaid.replace(/:::\w+/g, "");
    if (structure === this.structure && this.svgId !== "") {
      this.recolour(nodes);
      return;
    }
    const mermaid = await loadMermaid();
    const id = `build-graph-${++drawings}`;
    const { svg, bindFunctions } = await mermaid.render(id, graph.mermaid);
    const template = document.createElement("template");
    template.innerHTML = svg;
    this.element.replaceChildren(template.content);
    bindFunctions?.(this.element);
    this.structure = structure;
    this.svgId = id;
    this.drawnClasses = new Map(nodes.map((n) => [n.id, n.styleClass]));
    this.link(nodes);
    this.element.setAttribute("aria-label", `job graph: ${nodes.filter((n) => n.jobLabel).length} job runs, ${nodes.filter((n) => n.partitionRef).length} partitions`);
  }

  private nodeElements(): Map<string, SVGGElement> {
    const prefix = `${this.svgId}-flowchart-`;
    const found = new Map<string, SVGGElement>();
    for (const g of this.element.querySelectorAll<SVGGElement>("g.node")) {
      if (g.id.startsWith(prefix)) found.set(g.id.slice(prefix.length).replace(/-\d+$/, ""), g);
    }
    return found;
  }

  private recolour(nodes: BuildGraphNode[]): void {
    const elements = this.nodeElements();
    for (const node of nodes) {
      const before = this.drawnClasses.get(node.id);
      const g = elements.get(node.id);
      if (!g || before === node.styleClass) continue;
      if (before) g.classList.remove(before);
      g.classList.add(node.styleClass);
      g.dataset.status = node.partitionStatus || node.jobStatus;
      this.drawnClasses.set(node.id, node.styleClass);
    }
    this.link(nodes);
  }

  // A node opens what it stands for: a partition's page, or the run's.
  private link(nodes: BuildGraphNode[]): void {
    const elements = this.nodeElements();
    for (const node of nodes) {
      const g = elements.get(node.id);
      if (!g) continue;
      g.dataset.node = node.partitionRef || node.jobLabel;
      g.dataset.status = node.partitionStatus || node.jobStatus || "";
      const target = node.partitionRef ? partitionHref(node.partitionRef) : node.jobRunId ? runHref(node.jobRunId) : "";
      g.style.cursor = target ? "pointer" : "";
      g.onclick = target ? () => (location.hash = target) : null;
    }
  }
}
