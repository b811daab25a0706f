// Unit tests of the panels' pure functions, run with `node --test tests/js/`.
// Each panel module is what Python sends to the browser: common.js followed by the
// panel's file (lamin_lab/widgets/_base.py load_esm). It is evaluated here in a fresh
// context with only timers, so a helper that reaches for the DOM at load time fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const STATIC = new URL("../../lamin_lab/widgets/static/", import.meta.url);

function load(panel) {
  const source = readFileSync(new URL("common.js", STATIC), "utf8") + "\n" +
    readFileSync(new URL(`${panel}.js`, STATIC), "utf8").replace(/^export default .*$/m, "");
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
