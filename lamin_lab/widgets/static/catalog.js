// Catalog panel: a tab per registry, a paged table with sort, filter and column choice.

import { h, breakable, debounce, makeClient, setStatus, keyboardList } from "./common.js";

// Cells up to this many characters (uids, sizes, dates, suffixes) stay on one line; longer
// ones (keys, descriptions) wrap at a separator or a space.
const SHORT_CELL = 24;
const isShort = (text) => String(text).length <= SHORT_CELL;
const cellAttrs = (text) => ({ title: text, class: isShort(text) ? "ll-nowrap" : null });
// Chromium breaks at a <wbr> even under white-space: nowrap: short cells get none.
const cellText = (text) => (isShort(text) ? String(text) : breakable(text));

function render({ model, el }) {
  const client = makeClient(model);
  const state = { registry: model.get("registry"), offset: 0, order: "", filter: "", columns: null, total: 0 };
  const tabs = h("div", { class: "ll-tabs", role: "tablist" });
  const filter = h("input", { type: "text", class: "ll-input ll-filter", "aria-label": "Filter",
    placeholder: "Filter, e.g. name__startswith=T, size__gt=1000" });
  const columnsButton = h("button", { class: "ll-columns-button" }, "Columns ▾");
  const columnsList = h("div", { class: "ll-columns-list", hidden: true });
  const status = h("div", { class: "ll-status" });
  const table = h("table", { class: "ll-table" });
  const prev = h("button", { class: "ll-prev" }, "◀ Previous");
  const next = h("button", { class: "ll-next" }, "Next ▶");
  const pageInfo = h("span", { class: "ll-muted ll-page-info" });
  el.append(h("div", { class: "ll-panel ll-catalog" }, tabs,
    h("div", { class: "ll-row" }, filter, h("span", { class: "ll-columns" }, columnsButton, columnsList)),
    status, h("div", { class: "ll-table-wrap" }, table), h("div", { class: "ll-menu" }, prev, next, pageInfo)));

  const limit = () => model.get("page_size");
  const load = () => {
    setStatus(status, "Loading…", "busy");
    client.request("page", { registry: state.registry, offset: state.offset, limit: limit(), order: state.order,
      filter: state.filter, columns: state.columns });
  };
  const showTabs = () => tabs.replaceChildren(...model.get("registries").map((name) =>
    h("button", { class: name === state.registry ? "ll-tab ll-on" : "ll-tab", role: "tab", dataset: { registry: name },
      onclick: () => openRegistry(name) }, name)));
  const openRegistry = (name) => {
    Object.assign(state, { registry: name, offset: 0, order: "", columns: null });
    model.set("registry", name);
    model.save_changes();
    showTabs();
    columnsList.hidden = true;
    client.request("columns", { registry: name });
    load();
  };
  const sortBy = (column) => {
    state.order = state.order === column ? "-" + column : column;
    state.offset = 0;
    load();
  };

  client.on("columns", (reply) => {
    columnsList.replaceChildren(...reply.available.map((column) => {
      const box = h("input", { type: "checkbox", value: column });
      box.checked = (state.columns || reply.default).includes(column);
      box.addEventListener("change", () => {
        state.columns = Array.from(columnsList.querySelectorAll("input:checked")).map((b) => b.value);
        load();
      });
      return h("label", {}, box, " " + column);
    }));
  });
  client.on("page", (reply) => {
    state.total = reply.total;
    state.columns = reply.columns;
    const arrow = (column) => (state.order === column ? " ▲" : state.order === "-" + column ? " ▼" : "");
    const head = h("tr", {}, reply.columns.map((column) => h("th", { ...cellAttrs(column), dataset: { column }, tabindex: 0,
      onclick: () => sortBy(column), onkeydown: (e) => { if (e.key === "Enter") sortBy(column); } },
      cellText(column), arrow(column))));
    const rows = reply.rows.map((row) => h("tr", { class: "ll-item", dataset: { id: row.id }, tabindex: 0,
      onclick: () => pickRow(row.id) }, row.cells.map((cell) => h("td", cellAttrs(cell), cellText(cell)))));
    table.replaceChildren(h("thead", {}, head), h("tbody", {}, rows));
    const end = reply.offset + reply.rows.length;
    pageInfo.textContent = reply.total ? `${reply.offset + 1}–${end} of ${reply.total}` : "";
    setStatus(status, reply.total ? "" : `No ${reply.registry} records${state.filter ? " match the filter" : " yet"}.`,
      reply.total ? "" : "empty");
    prev.disabled = reply.offset === 0;
    next.disabled = end >= reply.total;
  });
  client.on("select", () => {});
  client.on("error", (msg) => setStatus(status, msg.message, "error"));

  const pickRow = (id) => {
    table.querySelectorAll("tbody tr").forEach((tr) => tr.classList.toggle("ll-picked", tr.dataset.id === String(id)));
    client.request("select", { registry: state.registry, id });
  };
  const body = () => table.querySelector("tbody");
  keyboardList(table, { querySelectorAll: (s) => body() ? body().querySelectorAll(s) : [] },
    (index) => pickRow(body().querySelectorAll("tr")[index].dataset.id), () => {
      filter.value = ""; state.filter = ""; state.offset = 0; load();
    });
  table.tabIndex = 0;
  filter.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { filter.value = ""; }
    if (e.key === "Enter" || e.key === "Escape") { state.filter = filter.value; state.offset = 0; load(); }
    e.stopPropagation();
  });
  filter.addEventListener("input", debounce(() => { state.filter = filter.value; state.offset = 0; load(); }, 400));
  columnsButton.addEventListener("click", () => { columnsList.hidden = !columnsList.hidden; });
  prev.addEventListener("click", () => { state.offset = Math.max(0, state.offset - limit()); load(); });
  next.addEventListener("click", () => { state.offset += limit(); load(); });
  openRegistry(state.registry);
  return () => client.close();
}

export default { render };
