// Lookup panel: autocomplete over one field; the chosen record is `.value` in Python.

import { h, debounce, makeClient, setStatus, keyboardList } from "./common.js";

function render({ model, el }) {
  const client = makeClient(model);
  const input = h("input", { type: "search", class: "ll-input ll-lookup-input", autocomplete: "off",
    placeholder: `${model.get("registry")}.${model.get("field")}…`, "aria-label": "Look up a value" });
  const chosen = h("div", { class: "ll-status ll-chosen" });
  const list = h("ul", { class: "ll-list ll-suggestions", role: "listbox" });
  el.append(h("div", { class: "ll-panel ll-lookup" }, h("div", { class: "ll-row" }, input), list, chosen));

  let items = [];
  const suggest = () => client.request("suggest", { q: input.value, limit: model.get("limit") });
  const choose = (index) => {
    const item = items[index];
    if (!item) return;
    input.value = item.text;
    list.replaceChildren();
    items = [];
    client.request("choose", { id: item.id });
  };
  const clear = () => {
    input.value = "";
    list.replaceChildren();
    items = [];
    client.request("clear", {});
  };
  const nav = keyboardList(input, list, choose, clear);

  client.on("suggest", (reply) => {
    items = reply.items;
    list.dataset.q = reply.q; // which text these suggestions are for
    nav.reset();
    list.replaceChildren(...items.map((item, i) => h("li", { class: "ll-item ll-suggestion", role: "option",
      onclick: () => choose(i) }, h("span", { class: "ll-name" }, item.text),
      h("span", { class: "ll-muted" }, "  ." + item.attr))));
    if (!items.length) list.append(h("li", { class: "ll-status ll-status-empty" }, "No match."));
  });
  client.on("choose", (reply) => setStatus(chosen, `Chosen: ${reply.text}`));
  client.on("clear", () => setStatus(chosen, ""));
  client.on("error", (msg) => setStatus(chosen, msg.message, "error"));
  input.addEventListener("input", debounce(suggest, 120));
  input.addEventListener("focus", () => { if (!items.length) suggest(); });
  const current = model.get("selection");
  if (current && current.label) setStatus(chosen, `Chosen: ${current.label}`);
  return () => client.close();
}

export default { render };
