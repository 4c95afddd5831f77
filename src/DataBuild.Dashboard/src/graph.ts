// A build request's job graph: the Mermaid flowchart the service draws (GET /api/v1/builds/{id}/graph), rendered
// with the mermaid package (loaded on this page only), and drawn again whenever the service's flowchart changes
// (a node's status is its class there, so a status change is a changed flowchart).
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
  private drawn = "";

  /** Shows `graph`, drawn again when it changed: Mermaid writes each node's colours into the drawing itself. */
  async show(graph: BuildGraph): Promise<void> {
    const nodes = graph.nodes ?? [];
    if (nodes.length === 0) {
      this.element.replaceChildren(h("p", { class: "muted" }, "Not planned yet: the graph appears once the build is analysed."));
      this.drawn = "";
      return;
    }
    if (nodes.length > maxDrawnNodes) {
      this.element.replaceChildren(h("p", { class: "muted" }, `${nodes.length} nodes: too many to draw; the runs are listed below.`));
      this.drawn = "";
      return;
    }
    if (graph.mermaid === this.drawn) return;
    const mermaid = await loadMermaid();
    const id = `build-graph-${++drawings}`;
    const { svg } = await mermaid.render(id, graph.mermaid);
    // Mermaid's output is sanitised SVG (securityLevel strict); it replaces the old drawing in one step.
    const template = document.createElement("template");
    template.innerHTML = svg;
    this.element.replaceChildren(template.content);
    this.drawn = graph.mermaid;
    this.link(id, nodes);
    this.element.setAttribute("aria-label", `job graph: ${nodes.filter((n) => n.jobLabel).length} job runs, ${nodes.filter((n) => n.partitionRef).length} partitions`);
  }

  // Each drawn node says what it is and how it stands, and opens what it stands for: a partition's page, or the run's.
  private link(svgId: string, nodes: BuildGraphNode[]): void {
    const prefix = `${svgId}-flowchart-`;
    const elements = new Map<string, SVGGElement>();
    for (const g of this.element.querySelectorAll<SVGGElement>("g.node")) {
      if (g.id.startsWith(prefix)) elements.set(g.id.slice(prefix.length).replace(/-\d+$/, ""), g);
    }
    for (const node of nodes) {
      const g = elements.get(node.id);
      if (!g) continue;
      g.dataset.node = node.partitionRef || node.jobLabel;
      g.dataset.status = node.partitionStatus || node.jobStatus || "";
      const target = node.partitionRef ? partitionHref(node.partitionRef) : node.jobRunId ? runHref(node.jobRunId) : "";
      if (!target) continue;
      g.style.cursor = "pointer";
      g.addEventListener("click", () => (location.hash = target));
    }
  }
}
