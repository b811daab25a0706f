// Shared helpers of every lamin_lab panel. Each panel imports the ones it uses
// (`import { h } from "./common.js";`) and Python inlines this file at that line
// (lamin_lab/widgets/_base.py load_esm): plain JavaScript, no bundler. Strings from the database are
// only ever put into the page as text: h() appends strings as Text nodes.

/** Create an element: h("div", {class: "x", onclick: fn}, "text", child). */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Split text after each "/", "_" or "." (after the last of a run; not at the start or end,
 * not inside a number like 46.9), the places a long key or path may wrap:
 * "raw/pbmc.csv" → ["raw/", "pbmc.", "csv"]. lamin_lab/describe/render_html.py
 * (break_parts) breaks describe values at the same places.
 */
export function breakParts(text) {
  const s = String(text === undefined || text === null ? "" : text);
  const sep = (c) => c === "/" || c === "_" || c === ".";
  const digit = (c) => c >= "0" && c <= "9";
  const parts = [];
  let start = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (!sep(s[i]) || sep(s[i + 1])) continue;
    if (s[i] === "." && digit(s[i - 1] || "") && digit(s[i + 1])) continue;
    if (Array.from(s.slice(start, i + 1)).every(sep)) continue; // no break after a leading "." or "/"
    parts.push(s.slice(start, i + 1));
    start = i + 1;
  }
  parts.push(s.slice(start));
  return parts;
}

/** Text as nodes with a <wbr> at each breakParts() place: it wraps there, never mid-name. */
export function breakable(text) {
  const out = [];
  for (const part of breakParts(text)) {
    if (out.length) out.push(document.createElement("wbr"));
    out.push(document.createTextNode(part));
  }
  return out;
}

/** Delay fn until `ms` passed without another call. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Requests to the kernel with ids; replies older than the newest request of
 * the same channel (or meant for another view of the model) are dropped.
 */
export function makeClient(model) {
  const view = Math.random().toString(36).slice(2);
  const latest = {};
  const handlers = {};
  let next = 1;
  const listener = (msg) => {
    if (!msg || msg.view !== view) return;
    const channel = msg.channel || msg.type;
    if (msg.request_id !== latest[channel]) return; // stale
    const handler = handlers[msg.type === "error" ? "error" : channel];
    if (handler) handler(msg);
  };
  model.on("msg:custom", listener);
  return {
    request(type, payload) {
      const id = next++;
      latest[type] = id;
      model.send({ ...(payload || {}), type, request_id: id, view });
      return id;
    },
    on(channel, fn) {
      handlers[channel] = fn;
    },
    close() {
      model.off("msg:custom", listener);
    },
  };
}

/** A status line: message text plus a modifier class ("error", "empty", "busy"). */
export function setStatus(node, text, kind) {
  node.textContent = text || "";
  for (const name of Array.from(node.classList)) if (name.startsWith("ll-status-")) node.classList.remove(name);
  node.classList.add("ll-status");
  if (kind) node.classList.add("ll-status-" + kind);
}

/**
 * Arrow/Enter/Escape navigation over `.ll-item` children of `list`, driven
 * from `input` (or the list itself). onChoose(index), onEscape().
 */
export function keyboardList(input, list, onChoose, onEscape) {
  let active = -1;
  const items = () => Array.from(list.querySelectorAll(".ll-item"));
  const mark = (index) => {
    const all = items();
    if (!all.length) { active = -1; return; }
    active = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => item.classList.toggle("ll-active", i === active));
    all[active].scrollIntoView({ block: "nearest" });
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { mark(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { mark(active - 1); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { onChoose(active); event.preventDefault(); }
    else if (event.key === "Escape") { active = -1; if (onEscape) onEscape(); event.preventDefault(); }
    else return;
    event.stopPropagation(); // keep JupyterLab's notebook shortcuts out of the panel
  });
  return { reset() { active = -1; }, get active() { return active; }, mark };
}

/** Offer text as a file download. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: type || "text/plain" }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A small badge naming a registry. */
export function badge(registry) {
  return h("span", { class: "ll-badge ll-badge-" + String(registry).toLowerCase() }, registry);
}
