// Unit tests of the panels' pure functions, run with `node --test tests/js/`.
// Each panel module is what Python sends to the browser: the panel's file with
// common.js inlined at its import line (lamin_lab/widgets/_base.py load_esm). It is evaluated here in a fresh
// context with only timers, so a helper that reaches for the DOM at load time fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const STATIC = new URL("../../lamin_lab/widgets/static/", import.meta.url);

function load(panel) {
  // as load_esm does: the helpers where the panel imports them, as plain functions
  const common = readFileSync(new URL("common.js", STATIC), "utf8").replace(/^export (?=function )/gm, "");
  const source = readFileSync(new URL(`${panel}.js`, STATIC), "utf8")
    .replace(/^import \{[^}]*\} from "\.\/common\.js";$/m, () => common)
    .replace(/^export default .*$/m, "");
  const context = vm.createContext({ setTimeout, clearTimeout });
  vm.runInContext(source, context);
  return (name) => vm.runInContext(name, context);
}

function fakeModel() {
  const listeners = [];
  const sent = [];
  return {
    sent,
    on: (_event, fn) => listeners.push(fn),
    off: (_event, fn) => listeners.splice(listeners.indexOf(fn), 1),
    send: (msg) => sent.push(msg),
    reply: (msg) => listeners.forEach((fn) => fn(msg)),
    listeners,
  };
}

test("every panel module loads without a DOM", () => {
  for (const panel of ["catalog", "curate", "describe", "lineage", "lookup", "search"]) {
    assert.equal(typeof load(panel)("render"), "function", panel);
  }
});

test("client sends requests with increasing ids and its view", () => {
  const model = fakeModel();
  const client = load("search")("makeClient")(model);
  assert.equal(client.request("search", { q: "t" }), 1);
  assert.equal(client.request("search", { q: "t c" }), 2);
  assert.deepEqual(model.sent.map((m) => [m.type, m.request_id, m.q]), [["search", 1, "t"], ["search", 2, "t c"]]);
  assert.equal(model.sent[0].view, model.sent[1].view);
});

test("client drops a reply older than the newest request of its channel", () => {
  const model = fakeModel();
  const client = load("search")("makeClient")(model);
  const got = [];
  client.on("search", (msg) => got.push(msg.request_id));
  client.request("search");
  client.request("search");
  const view = model.sent[0].view;
  model.reply({ type: "search", request_id: 1, view });
  model.reply({ type: "search", request_id: 2, view });
  assert.deepEqual(got, [2]);
});

test("client ignores replies meant for another view", () => {
  const model = fakeModel();
  const client = load("search")("makeClient")(model);
  const got = [];
  client.on("search", (msg) => got.push(msg));
  client.request("search");
  model.reply({ type: "search", request_id: 1, view: "another" });
  assert.deepEqual(got, []);
});

test("client routes an error reply to the error handler", () => {
  const model = fakeModel();
  const client = load("search")("makeClient")(model);
  const errors = [];
  client.on("error", (msg) => errors.push(msg.message));
  client.request("search");
  model.reply({ type: "error", channel: "search", request_id: 1, view: model.sent[0].view, message: "boom" });
  assert.deepEqual(errors, ["boom"]);
});

test("client close removes its listener", () => {
  const model = fakeModel();
  load("search")("makeClient")(model).close();
  assert.equal(model.listeners.length, 0);
});

test("debounce calls once with the last arguments", async () => {
  const calls = [];
  const debounced = load("search")("debounce")((x) => calls.push(x), 5);
  debounced(1);
  debounced(2);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(calls, [2]);
});

test("lineage shorten flattens whitespace and ends a cut text with an ellipsis", () => {
  const shorten = load("lineage")("shorten");
  assert.equal(shorten("a\n  b", 10), "a b");
  assert.equal(shorten("abcdefghij", 5), "abcd…");
  assert.equal(shorten(null, 5), "");
});

test("curate plural picks the singular for one", () => {
  const plural = load("curate")("plural");
  assert.equal(plural(1, "value"), "1 value");
  assert.equal(plural(3, "value"), "3 values");
  assert.equal(plural(2, "entry", "entries"), "2 entries");
});

// Values made inside the panel's context: compare them as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value));

test("breakParts splits after / _ . so long keys wrap at a separator", () => {
  const breakParts = load("catalog")("breakParts");
  assert.deepEqual(plain(breakParts("raw/pbmc_68k.h5ad")), ["raw/", "pbmc_", "68k.", "h5ad"]);
  assert.deepEqual(plain(breakParts("a//b")), ["a//", "b"]); // after the last of a run
  assert.deepEqual(plain(breakParts("x.")), ["x."]); // nothing after the separator: no break
  assert.deepEqual(plain(breakParts(".parquet")), [".parquet"]); // nor before it
  assert.deepEqual(plain(breakParts("__init__.py")), ["__init__.", "py"]);
});

test("breakParts keeps numbers and sizes whole", () => {
  const breakParts = load("describe")("breakParts");
  assert.deepEqual(plain(breakParts("46.9 kB")), ["46.9 kB"]);
  assert.deepEqual(plain(breakParts("v1.2.3")), ["v1.2.3"]);
  assert.deepEqual(plain(breakParts(null)), [""]);
});

test("breakParts joined gives back the text", () => {
  const breakParts = load("catalog")("breakParts");
  for (const text of ["", "/", "a_b.c/d", "..x__y//", "pbmc.h5ad"]) assert.equal(breakParts(text).join(""), text);
});

test("lineage fitBox shows a small graph whole, centred, never magnified", () => {
  const fitBox = load("lineage")("fitBox");
  const box = plain(fitBox(200, 100, 800, 400, 11, null));
  assert.deepEqual(box, { x: -10 - (800 - 220) / 2, y: -10 - (400 - 120) / 2, w: 800, h: 400, scale: 1, partial: false });
});

test("lineage fitBox zooms out only as far as the smallest text stays 11 px", () => {
  const fitBox = load("lineage")("fitBox");
  // labels of 12 px allow 12/11 zoom-out: a graph just that much larger is still shown whole
  const whole = fitBox(800 * 12 / 11 - 20, 100, 800, 400, 12, null);
  assert.equal(whole.partial, false);
  assert.ok(Math.abs(whole.scale - 12 / 11) < 1e-9);
  // with 11 px sublabels there is no zoom-out at all: a wide graph is shown in part
  const part = fitBox(3000, 100, 800, 400, 11, { x: 1500, y: 50 });
  assert.equal(part.partial, true);
  assert.equal(part.scale, 1);
  assert.equal(part.x, 1500 - 400); // centred on the anchor
});

test("lineage fitBox keeps the part inside the drawing near an edge", () => {
  const fitBox = load("lineage")("fitBox");
  const left = fitBox(3000, 2000, 800, 400, 11, { x: 5, y: 5 });
  assert.deepEqual([left.x, left.y], [-10, -10]);
  const right = fitBox(3000, 2000, 800, 400, 11, { x: 2990, y: 1990 });
  assert.deepEqual([right.x + right.w, right.y + right.h], [3010, 2010]);
});

test("lineage anchorNode prefers the picked node, then the focus, then the most central", () => {
  const anchorNode = load("lineage")("anchorNode");
  const nodes = [
    { id: "a", x: 0, y: 0, w: 10, h: 10 },
    { id: "b", x: 45, y: 45, w: 10, h: 10 },
    { id: "c", x: 90, y: 90, w: 10, h: 10, focus: true },
  ];
  assert.equal(anchorNode(nodes, "a", 100, 100).id, "a");
  assert.equal(anchorNode(nodes, null, 100, 100).id, "c");
  assert.equal(anchorNode(nodes.slice(0, 2), null, 100, 100).id, "b");
  assert.equal(anchorNode([], null, 100, 100), null);
});

// A drawing of two nodes and an edge, at version 1, as the kernel sends it (graph_data).
const drawing = () => ({
  version: 1, width: 200, height: 60, message: "", focus: ["artifact:b"],
  nodes: [
    { id: "run:r", kind: "run", label: "prep.py", x: 16, y: 16, w: 80, h: 28 },
    { id: "artifact:b", kind: "artifact", label: "b.csv", x: 150, y: 16, w: 70, h: 28, focus: true },
  ],
  edges: [{ source: "run:r", target: "artifact:b", points: [[96, 30], [150, 30]] }],
});

test("lineage applyDelta adds nodes and edges at the end, moves nodes and reroutes edges", () => {
  const applyDelta = load("lineage")("applyDelta");
  const old = drawing();
  const delta = {
    base: 1, version: 2, set: { height: 100 },
    nodes: [{ id: "artifact:a", kind: "artifact", label: "a.csv", x: 16, y: 60, w: 70, h: 28 }],
    moved: [[0, 110, 40]], // by index in the old drawing
    rerouted: [[0, [[190, 54], [250, 30]]]],
    edges: [{ source: "artifact:a", target: "run:r", points: [[86, 74], [110, 54]] }],
  };
  const next = plain(applyDelta(old, delta));
  assert.deepEqual(next.nodes.map((n) => [n.id, n.x, n.y]), [["run:r", 110, 40], ["artifact:b", 150, 16], ["artifact:a", 16, 60]]);
  assert.equal(next.nodes[0].label, "prep.py"); // a move keeps the rest of the node
  assert.deepEqual(next.edges.map((e) => [e.source, e.points[0][0]]), [["run:r", 190], ["artifact:a", 86]]);
  assert.deepEqual([next.version, next.height, next.width], [2, 100, 200]);
  assert.deepEqual(plain(old), drawing()); // the old drawing is left as it was
});

test("lineage applyDelta removes nodes and edges and follows a new order", () => {
  const applyDelta = load("lineage")("applyDelta");
  const gone = plain(applyDelta(drawing(), { version: 2, removed: ["artifact:b"], removed_edges: [["run:r", "artifact:b"]] }));
  assert.deepEqual(gone.nodes.map((n) => n.id), ["run:r"]);
  assert.deepEqual(gone.edges, []);
  const turned = plain(applyDelta(drawing(), { version: 2, order: ["artifact:b", "run:r"] }));
  assert.deepEqual(turned.nodes.map((n) => n.id), ["artifact:b", "run:r"]);
});

test("lineage deltaAction applies the next delta, ignores old ones and resyncs after a gap", () => {
  const deltaAction = load("lineage")("deltaAction");
  assert.equal(deltaAction(1, { base: 1, version: 2 }), "apply");
  assert.equal(deltaAction(2, { base: 1, version: 2 }), "ignore"); // drawn already (a resync)
  assert.equal(deltaAction(1, { base: 2, version: 3 }), "resync"); // version 2 was missed
  assert.equal(deltaAction(undefined, { base: 4, version: 5 }), "resync");
  assert.equal(deltaAction(3, {}), "ignore"); // no delta yet
});
