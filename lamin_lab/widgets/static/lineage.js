// Lineage panel: the graph laid out in Python, drawn as SVG; pan, zoom, pick, expand one hop,
// focus, open groups, export. The whole graph comes once (graph_data), then deltas (graph_delta).

import { h, makeClient, setStatus, download } from "./common.js";

const SVG_NS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child instanceof Node ? child : document.createTextNode(child));
  return node;
}
// Font sizes of node labels and sublabels (panels.css, lamin_lab/lineage/layout.py).
const LABEL_PX = 12, SUBLABEL_PX = 11;
// "Fit" never zooms out so far that a label is drawn smaller than this (px on screen).
const MIN_TEXT_PX = 11;
const PAD = 10; // drawing units around the graph

/**
 * The viewBox "Fit" shows in viewW × viewH px: the graph whole, centred, never magnified; or,
 * if then text is below MIN_TEXT_PX, the part around `anchor` at the smallest readable scale
 * (smallestPx: the smallest text at scale 1), and `partial` says so.
 */
function fitBox(width, height, viewW, viewH, smallestPx, anchor) {
  const w = width + 2 * PAD, hh = height + 2 * PAD;
  const need = Math.max(w / viewW, hh / viewH); // drawing units per screen px to show it all
  const readable = smallestPx / MIN_TEXT_PX;
  const scale = Math.min(Math.max(1, need), readable);
  const vw = viewW * scale, vh = viewH * scale;
  const at = anchor || { x: width / 2, y: height / 2 };
  // Per axis: centre what fits, else the anchor, showing no empty space past an edge.
  const start = (size, view, c) => size <= view ? -PAD - (view - size) / 2
    : Math.min(Math.max(c - view / 2, -PAD), size - PAD - view);
  return { x: start(w, vw, at.x), y: start(hh, vh, at.y), w: vw, h: vh, scale, partial: need > scale + 1e-9 };
}

/** The node "Fit" centres on when the graph is too large: picked, focus or most central. */
function anchorNode(nodes, pickedId, width, height) {
  if (!nodes.length) return null;
  const picked = nodes.find((n) => n.id === pickedId) || nodes.find((n) => n.focus);
  if (picked) return picked;
  const dist = (n) => Math.hypot(n.x + n.w / 2 - width / 2, n.y + n.h / 2 - height / 2);
  return nodes.reduce((best, n) => (dist(n) < dist(best) ? n : best));
}

const edgeKey = (e) => e.source + "\u2192" + e.target;
const pair = ([source, target]) => edgeKey({ source, target });

// `old` but `gone`, items replaced by `fresh`, new ones last; or in `order`.
function mergeList(old, fresh, gone, key, order) {
  const next = new Map(fresh.map((x) => [key(x), x])), out = [];
  for (const x of old) {
    const k = key(x);
    if (gone.has(k)) continue;
    out.push(next.get(k) || x);
    next.delete(k);
  }
  out.push(...next.values());
  const at = order && new Map(out.map((x) => [key(x), x]));
  return order ? order.map((k) => at.get(k)) : out;
}

// What `d` adds to or changes in `graph`, moved and rerouted included.
function fresh(graph, d) {
  return { nodes: [...(d.nodes || []), ...(d.moved || []).map(([i, x, y]) => ({ ...graph.nodes[i], x, y }))],
    edges: [...(d.edges || []), ...(d.rerouted || []).map(([i, points]) => ({ ...graph.edges[i], points }))] };
}

/** The graph `delta` makes of `graph` (neither changes): as apply_delta in widgets/lineage.py. */
function applyDelta(graph, d) {
  const f = fresh(graph, d);
  const nodes = mergeList(graph.nodes || [], f.nodes, new Set(d.removed), (n) => n.id, d.order);
  const edges = mergeList(graph.edges || [], f.edges, new Set((d.removed_edges || []).map(pair)), edgeKey,
    d.edge_order && d.edge_order.map(pair));
  return { ...graph, ...(d.set || {}), nodes, edges, version: d.version };
}

// A delta on the graph drawn at `version`: "apply", "ignore" (old) or "resync" (one missed).
function deltaAction(version, d) {
  if (!d || d.version == null) return "ignore";
  return d.base === version ? "apply" : d.version > (version ?? -1) ? "resync" : "ignore";
}

const shorten = (text, n) => {
  const flat = String(text || "").split(/\s+/).join(" ");
  return flat.length <= n ? flat : flat.slice(0, n - 1) + "…";
};

function render({ model, el }) {
  const client = makeClient(model);
  const svg = s("svg", { class: "ll-graph", role: "img", "aria-label": "Lineage graph" });
  const view = s("g", { class: "ll-view" });
  svg.append(s("defs", {}, s("marker", { id: "ll-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, s("path", { d: "M0,0 L10,5 L0,10 z", class: "ll-arrow" }))), view);
  const status = h("div", { class: "ll-status" });
  const hint = h("div", { class: "ll-hint ll-muted", hidden: true });
  const picked = h("span", { class: "ll-picked-label ll-muted" });
  const button = (cls, text, fn) => h("button", { class: cls, disabled: true, onclick: fn }, text);
  const up = button("ll-expand-up", "Expand ↑", () => act("expand", { direction: "up" }));
  const down = button("ll-expand-down", "Expand ↓", () => act("expand", { direction: "down" }));
  const focus = button("ll-focus-button", "Focus", () => act("focus"));
  const group = button("ll-expand-group", "Open group", () => act("expand_cluster"));
  const fit = h("button", { class: "ll-fit", onclick: () => fitView() }, "Fit");
  const exports = ["dot", "mermaid", "svg"].map((fmt) =>
    h("button", { class: "ll-export-" + fmt, onclick: () => client.request("export", { format: fmt }) }, fmt.toUpperCase()));
  el.append(h("div", { class: "ll-panel ll-lineage" }, status, hint, svg,
    h("div", { class: "ll-menu" }, up, down, focus, group, picked, h("span", { style: "flex:1" }), fit,
      h("span", { class: "ll-muted" }, "Export:"), ...exports)));

  let current = null; // picked node id
  let box = { x: 0, y: 0, w: 100, h: 100 };
  // A new viewBox re-lays out all the drawing (~40 ms at 500 nodes): a pan moves the view group.
  let base = null, shift = "";
  const setBox = () => {
    if (!base || base.w !== box.w || base.h !== box.h) {
      base = { ...box };
      svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
    }
    const at = `translate(${base.x - box.x},${base.y - box.y})`;
    if (at !== shift) view.setAttribute("transform", (shift = at));
  };
  let shown = { nodes: [], edges: [] }; // graph_data with the deltas since applied
  const fitView = () => {
    const nodes = shown.nodes || [], width = shown.width || 0, height = shown.height || 0;
    const w = svg.clientWidth || 900, hh = svg.clientHeight || parseFloat(svg.style.height) || 420;
    const smallest = nodes.some((n) => n.sublabel) ? SUBLABEL_PX : LABEL_PX;
    const anchor = anchorNode(nodes, current, width, height);
    const fit = fitBox(width, height, w, hh, smallest,
      anchor && { x: anchor.x + anchor.w / 2, y: anchor.y + anchor.h / 2 });
    box = fit;
    setBox();
    hint.hidden = !fit.partial;
    hint.textContent = fit.partial ? `Large graph: the part around “${shorten(anchor.label, 32)}” at a readable ` +
      "size. Drag to pan, scroll to zoom out; Fit centres the picked node." : "";
  };
  const act = (type, extra) => { if (current) client.request(type, { node: current, ...(extra || {}) }); };
  const pick = (node, send = true) => {
    current = node ? node.id : null;
    view.querySelectorAll(".ll-node").forEach((g) => g.classList.toggle("ll-picked", g.dataset.id === current));
    const isCluster = node && node.kind === "cluster";
    up.disabled = down.disabled = focus.disabled = !node || isCluster;
    group.disabled = !isCluster;
    picked.textContent = node ? `${node.kind}: ${node.label}` : "";
    if (send && node && !isCluster) client.request("select", { node: node.id });
  };

  const groups = new Map(); // node id → { key, el, at }

  function nodeGroup(node) {
    const label = node.kind === "cluster" && !node.label.includes(String(node.size)) ? `${node.label} (${node.size})` : node.label;
    const group = s("g", { class: `ll-node ll-kind-${node.kind}${node.focus ? " ll-focus" : ""}`,
      tabindex: 0, "data-id": node.id, "data-kind": node.kind,
      role: "button", "aria-label": `${node.kind} ${node.label}` },
      s("rect", { width: node.w, height: node.h, rx: node.kind === "run" || node.kind === "transform" ? 3 : 10 }),
      s("text", { x: node.w / 2, y: node.sublabel ? 17 : node.h / 2 + 4, "text-anchor": "middle" }, shorten(label, 32)),
      node.sublabel ? s("text", { class: "ll-sub", x: node.w / 2, y: 33, "text-anchor": "middle" }, shorten(node.sublabel, 36)) : null,
      s("title", {}, `${node.kind}: ${node.label}${node.sublabel ? "\n" + node.sublabel : ""}`));
    group.addEventListener("click", (e) => { e.stopPropagation(); pick(node); });
    group.addEventListener("dblclick", (e) => {
      e.stopPropagation();
      current = node.id;
      act(node.kind === "cluster" ? "expand_cluster" : "focus");
    });
    group.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { pick(node); e.preventDefault(); }
      else if (e.key === "Escape") { pick(null); e.preventDefault(); }
      else return;
      e.stopPropagation();
    });
    return group;
  }

  // Two layers, so the nodes stay above the edges without re-ordering the DOM.
  const edgeLayer = s("g", { class: "ll-edges" });
  const nodeLayer = s("g", { class: "ll-nodes" });
  view.append(edgeLayer, nodeLayer);
  const edgePaths = new Map(); // edge key → { d, el }

  function placeEdge(e, added) {
    const key = edgeKey(e), entry = edgePaths.get(key);
    if (!e.points || e.points.length < 2) return drop(edgePaths, key);
    const d = "M" + e.points.map((p) => `${p[0]},${p[1]}`).join(" L");
    if (entry) {
      if (entry.d !== d) { entry.el.setAttribute("d", d); entry.d = d; }
      return;
    }
    const el = s("path", { class: "ll-edge", "marker-end": "url(#ll-arrow)",
      "data-source": e.source, "data-target": e.target, d });
    edgePaths.set(key, { d, el });
    added.append(el);
  }
  function placeNode(node, added) {
    const key = [node.kind, node.label, node.sublabel, node.focus, node.w, node.h, node.size].join("\u0000");
    let entry = groups.get(node.id);
    if (!entry || entry.key !== key) {
      drop(groups, node.id);
      entry = { key, el: nodeGroup(node), at: "" };
      groups.set(node.id, entry);
      added.append(entry.el);
    }
    const at = `translate(${node.x},${node.y})`;
    if (entry.at !== at) { entry.el.setAttribute("transform", at); entry.at = at; }
  }
  function drop(drawn, key) {
    const entry = drawn.get(key);
    if (entry) { entry.el.remove(); drawn.delete(key); }
  }

  // Draw `g` touching only what `d` names (nodes, edges to place; gone ids, edge keys).
  function draw(g, d) {
    shown = g;
    const edges = new DocumentFragment(), nodes = new DocumentFragment();
    for (const key of d.goneEdges) drop(edgePaths, key);
    for (const e of d.edges || []) placeEdge(e, edges);
    for (const id of d.gone) drop(groups, id);
    for (const node of d.nodes || []) placeNode(node, nodes);
    edgeLayer.append(edges);
    nodeLayer.append(nodes);
    setStatus(status, g.message || (g.truncated ? "Graph cut at the node limit." : ""), g.message ? "empty" : "");
    svg.style.height = Math.round(Math.min(520, Math.max(180, (g.height || 0) + 60))) + "px";
    pick((g.nodes || []).find((n) => n.id === current) || null, false);
    fitView();
  }
  function onGraphData() { // whole: first drawing, new record, resync
    const g = model.get("graph_data") || {};
    if (g.version == null || g.version !== shown.version) {
      const ids = new Set((g.nodes || []).map((n) => n.id)), keys = new Set((g.edges || []).map(edgeKey));
      draw(g, { ...g, gone: [...groups.keys()].filter((id) => !ids.has(id)),
        goneEdges: [...edgePaths.keys()].filter((k) => !keys.has(k)) });
    }
    onGraphDelta(); // one sent after it (a page opened late)
  }
  function onGraphDelta() { // what one expand changed
    const d = model.get("graph_delta"), action = deltaAction(shown.version, d);
    if (action === "resync") client.request("resync");
    if (action === "apply") draw(applyDelta(shown, d), { ...fresh(shown, d), gone: d.removed || [],
      goneEdges: (d.removed_edges || []).map(pair) });
  }

  // Pan by dragging, zoom with the wheel around the pointer.
  let drag = null;
  svg.addEventListener("pointerdown", (e) => {
    if (e.target.closest && e.target.closest(".ll-node")) return;
    drag = { x: e.clientX, y: e.clientY, box: { ...box } };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const scale = box.w / (svg.clientWidth || 1);
    box.x = drag.box.x - (e.clientX - drag.x) * scale;
    box.y = drag.box.y - (e.clientY - drag.y) * scale;
    setBox();
  });
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const factor = e.deltaY > 0 ? 1.15 : 1 / 1.15;
    const rect = svg.getBoundingClientRect();
    const fx = (e.clientX - rect.left) / (rect.width || 1), fy = (e.clientY - rect.top) / (rect.height || 1);
    const w = box.w * factor, hh = box.h * factor;
    box = { x: box.x + (box.w - w) * fx, y: box.y + (box.h - hh) * fy, w, h: hh };
    setBox();
  }, { passive: false });
  svg.addEventListener("click", () => pick(null));

  client.on("export", (reply) => download(`lineage.${reply.format === "mermaid" ? "mmd" : reply.format}`, reply.text, reply.mime));
  for (const channel of ["expand", "expand_cluster", "focus", "select", "resync"]) client.on(channel, () => {});
  client.on("error", (msg) => setStatus(status, msg.message, "error"));
  model.on("change:graph_data", onGraphData);
  model.on("change:graph_delta", onGraphDelta);
  onGraphData();
  // Drawn in a hidden tab the panel has no size yet: fit again once it is shown or resized.
  let seen = "";
  const resized = new ResizeObserver(() => {
    const size = `${svg.clientWidth}x${svg.clientHeight}`;
    if (svg.clientWidth && size !== seen) { seen = size; fitView(); }
  });
  resized.observe(svg);
  return () => {
    client.close();
    resized.disconnect();
    model.off("change:graph_data", onGraphData);
    model.off("change:graph_delta", onGraphDelta);
  };
}

export default { render };
