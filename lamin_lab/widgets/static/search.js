// Search panel: one search box, hits as you type (debounced 30 ms; stale replies dropped), paged.

import { h, debounce, makeClient, setStatus, keyboardList, badge } from "./common.js";

function render({ model, el }) {
  const client = makeClient(model);
  const input = h("input", { type: "search", class: "ll-input ll-search-input", placeholder: "Search records…",
    "aria-label": "Search records" });
  const scope = h("select", { class: "ll-scope", "aria-label": "Registry" },
    h("option", { value: "" }, "all registries"),
    model.get("registries").map((name) => h("option", { value: name }, name)));
  scope.value = model.get("registry");
  const status = h("div", { class: "ll-status" });
  const list = h("ul", { class: "ll-list ll-hits", role: "listbox" });
  const prev = h("button", { class: "ll-prev", disabled: true }, "◀ Previous");
  const next = h("button", { class: "ll-next", disabled: true }, "Next ▶");
  el.append(h("div", { class: "ll-panel ll-search" },
    h("div", { class: "ll-row" }, input, scope), status, list, h("div", { class: "ll-menu" }, prev, next)));

  let hits = [];
  let offset = 0;
  const limit = () => model.get("page_size");
  const ask = (at) => {
    offset = at;
    const q = input.value.trim();
    model.set("query", input.value);
    model.save_changes();
    if (!q) { show({ hits: [], offset: 0, has_more: false, q: "" }); return; }
    setStatus(status, "Searching…", "busy");
    client.request("search", { q, offset, limit: limit(), registry: scope.value });
  };
  const pick = (index) => {
    const hit = hits[index];
    if (!hit) return;
    list.querySelectorAll(".ll-item").forEach((item, i) => item.classList.toggle("ll-picked", i === index));
    client.request("select", { registry: hit.registry, id: hit.id });
  };
  const nav = keyboardList(input, list, pick, () => { input.value = ""; ask(0); });

  function show(reply) {
    hits = reply.hits;
    list.dataset.q = reply.q; // which query these hits are for
    nav.reset();
    list.replaceChildren(...hits.map((hit, i) => h("li", { class: "ll-item ll-hit", role: "option",
      dataset: { registry: hit.registry, id: hit.id }, onclick: () => pick(i) },
      h("div", { class: "ll-hit-title" }, badge(hit.registry), h("span", { class: "ll-name" }, hit.label),
        hit.version ? h("span", { class: "ll-muted" }, "v" + hit.version) : null,
        h("span", { class: "ll-muted" }, hit.created)),
      hit.description ? h("div", { class: "ll-desc" }, hit.description) : null)));
    const first = reply.offset + 1;
    if (!reply.q) setStatus(status, "Type to search.", "empty");
    else if (!hits.length) setStatus(status, reply.offset ? "No more results." : `No results for “${reply.q}”.`, "empty");
    else setStatus(status, `Results ${first}–${reply.offset + hits.length}${reply.has_more ? "" : " (all)"}`);
    prev.disabled = reply.offset === 0;
    next.disabled = !reply.has_more;
  }

  client.on("search", show);
  client.on("select", () => {});
  client.on("error", (msg) => setStatus(status, msg.message, "error"));
  const typed = debounce(() => ask(0), 30);
  input.addEventListener("input", typed);
  scope.addEventListener("change", () => {
    model.set("registry", scope.value);
    model.save_changes();
    ask(0);
  });
  prev.addEventListener("click", () => ask(Math.max(0, offset - limit())));
  next.addEventListener("click", () => ask(offset + limit()));
  input.value = model.get("query");
  ask(0);
  return () => client.close();
}

export default { render };
