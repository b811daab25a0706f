// Curate panel: column states, a page of invalid values with suggestions, validate and save.
// The browser asks for the status and one page of values at a time, never for the dataset.

import { h, makeClient, setStatus } from "./common.js";

const STATE_TEXT = { valid: "validated", invalid: "not validated", dtype: "dtype issue", missing: "missing",
  extra: "extra" };
const plural = (n, word, many) => `${n} ${n === 1 ? word : many || word + "s"}`;

/** The help shown until a dataset is loaded. */
function curateHelp() {
  return h("div", { class: "ll-curate-help" },
    h("p", {}, "Nothing to curate yet. Load a DataFrame or AnnData with the schema to validate it against:"),
    h("pre", { class: "ll-code" }, "wb.curate.load(df, schema)      # in a Workbench\n" +
      "ln.widgets.Curate(df, schema)  # on its own"),
    h("p", { class: "ll-muted" }, "The panel then lists every column's state, the values that match no record " +
      "with suggestions to accept, and saves the validated dataset as an artifact."));
}

/** One row of the columns table; a column with invalid values opens on click, Enter or Space. */
function columnRow(row, isOpen, onOpen) {
  const name = row.slot ? `${row.slot}: ${row.key}` : row.key;
  const fixable = row.state === "invalid";
  const choose = () => { if (fixable) onOpen(row.slot, row.key); };
  const count = fixable ? h("span", { class: "ll-muted" }, ` ${row.n_invalid} of ${row.n_values}`) : null;
  return h("tr", { class: "ll-curate-column" + (isOpen ? " ll-picked" : ""), tabindex: fixable ? 0 : null,
    dataset: { key: row.key, slot: row.slot, state: row.state }, onclick: choose,
    onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { choose(); e.preventDefault(); } } },
  h("td", { class: "ll-name", title: name }, name),
  h("td", {}, h("span", { class: `ll-state ll-state-${row.state}` }, STATE_TEXT[row.state] || row.state), count),
  h("td", { class: "ll-code", title: row.actual }, row.dtype + (row.actual ? ` (${row.actual})` : "")),
  h("td", { class: "ll-curate-message", title: row.message },
    fixable ? "Click to see the values and suggestions." : row.message));
}

/** One invalid value: its text, a button per suggestion, and "Create label". act(type, payload). */
function valueItem(item, act) {
  const accept = (s) => h("button", { class: "ll-accept", dataset: { suggestion: s.name },
    title: s.kind === "synonym" ? "a synonym of this name" : `similarity ${s.score}`,
    onclick: () => act("accept", { value: item.raw, suggestion: s.name }) },
  `Accept “${s.name}”`, s.kind === "synonym" ? " (synonym)" : "");
  return h("li", { class: "ll-curate-value", dataset: { value: item.raw } },
    h("span", { class: "ll-name ll-value" }, item.value),
    h("span", { class: "ll-curate-actions" },
      item.suggestions.length ? item.suggestions.map(accept) : h("span", { class: "ll-muted" }, "no close match"),
      h("button", { class: "ll-create", onclick: () => act("create", { value: item.raw }) }, "Create label")));
}

/** The page of invalid values of one column, with "create all", "replace synonyms" and paging. */
function valuesView(reply, act, goTo, pageSize) {
  const end = reply.offset + reply.items.length;
  const tools = [h("button", { class: "ll-create-all", onclick: () => act("create", { all: true }) },
    `Create ${plural(reply.total, reply.registry + " label")}`)];
  if (reply.n_synonyms) tools.push(h("button", { class: "ll-standardize", onclick: () => act("standardize", {}) },
    `Replace ${plural(reply.n_synonyms, "synonym")}`));
  const prev = h("button", { class: "ll-prev", disabled: reply.offset === 0,
    onclick: () => goTo(Math.max(0, reply.offset - pageSize)) }, "◀ Previous");
  const next = h("button", { class: "ll-next", disabled: end >= reply.total, onclick: () => goTo(end) }, "Next ▶");
  return [
    h("div", { class: "ll-row" }, h("span", { class: "ll-name" },
      `“${reply.key}”: ${plural(reply.total, "value matches", "values match")} no ${reply.registry}`), ...tools),
    h("ul", { class: "ll-list ll-curate-value-list", "aria-label": `Invalid values of ${reply.key}` },
      reply.items.map((item) => valueItem(item, act))),
    h("div", { class: "ll-menu" }, prev, next,
      h("span", { class: "ll-muted ll-page-info" }, reply.total ? `${reply.offset + 1}–${end} of ${reply.total}` : "")),
  ];
}

/** The saved artifact: badge, key and uid. */
function savedLine(ref) {
  if (!ref) return [];
  return [h("span", { class: "ll-badge ll-badge-artifact" }, "Artifact"), " Saved ", h("span", { class: "ll-name" },
    ref.label), " · uid ", h("span", { class: "ll-code ll-curate-uid" }, ref.uid)];
}

function render({ model, el }) {
  const client = makeClient(model);
  const open = { slot: null, key: null, offset: 0 };
  const header = h("div", { class: "ll-header ll-curate-title" });
  const summary = h("div", { class: "ll-status ll-curate-summary", role: "status" });
  const table = h("table", { class: "ll-table ll-curate-columns" });
  const values = h("div", { class: "ll-curate-values", hidden: true });
  const note = h("div", { class: "ll-status ll-curate-note", role: "status", "aria-live": "polite" });
  const problems = h("pre", { class: "ll-curate-problems", hidden: true });
  const keyInput = h("input", { type: "text", class: "ll-input ll-curate-key", "aria-label": "Artifact key",
    placeholder: "key, e.g. datasets/perturbations.parquet" });
  const description = h("input", { type: "text", class: "ll-input ll-curate-description",
    "aria-label": "Artifact description", placeholder: "description (optional)" });
  const validateButton = h("button", { class: "ll-curate-validate" }, "Validate");
  const saveButton = h("button", { class: "ll-curate-save" }, "Save");
  const saved = h("div", { class: "ll-curate-saved" });
  const help = curateHelp();
  const body = h("div", { class: "ll-curate-body" }, header, summary, h("div", { class: "ll-table-wrap" }, table),
    values, note, problems,
    h("div", { class: "ll-row ll-curate-save-row" }, keyInput, description, validateButton, saveButton), saved);
  el.append(h("div", { class: "ll-panel ll-curate" }, help, body));

  const refresh = () => {
    help.hidden = model.get("loaded");
    body.hidden = !model.get("loaded");
    if (model.get("loaded")) client.request("status", {});
  };
  const loadValues = () => {
    if (open.key !== null) client.request("values", { slot: open.slot, key: open.key, offset: open.offset,
      limit: model.get("page_size") });
  };
  const openColumn = (slot, key) => {
    Object.assign(open, { slot, key, offset: 0 });
    table.querySelectorAll(".ll-curate-column").forEach((tr) =>
      tr.classList.toggle("ll-picked", tr.dataset.key === key && tr.dataset.slot === slot));
    loadValues();
  };
  let refocus = false; // keyboard users keep their place when the list is rebuilt
  const act = (type, payload) => {
    refocus = values.contains(document.activeElement);
    setStatus(note, "Working…", "busy");
    client.request(type, { slot: open.slot, key: open.key, ...payload });
  };
  const goTo = (offset) => { open.offset = offset; loadValues(); };

  const showStatus = (reply) => {
    const d = reply.dataset || {};
    header.textContent = `${d.kind} · ${d.rows} rows × ${d.columns} columns · schema ${d.schema}`;
    const bad = reply.columns.filter((c) => c.blocking);
    setStatus(summary, reply.valid ? "All columns validated ✓ — type a key and click Save."
      : `${bad.length} of ${reply.columns.length} columns need attention: ${bad.map((c) => c.key).join(", ")}`,
      reply.valid ? "ok" : "error");
    const isOpen = (row) => row.key === open.key && row.slot === open.slot;
    table.replaceChildren(h("thead", {}, h("tr", {}, ["Column", "State", "dtype (actual)", "Details"].map(
      (t) => h("th", {}, t)))), h("tbody", {}, reply.columns.map((row) => columnRow(row, isOpen(row), openColumn))));
    setStatus(note, reply.note, "");
    problems.hidden = !reply.problems;
    problems.textContent = reply.problems || "";
    saved.replaceChildren(...savedLine(reply.saved));
    const current = reply.columns.find(isOpen);
    if (current && current.state === "invalid") loadValues();
    else {
      if (refocus && open.key !== null) {
        refocus = false;
        const row = table.querySelector(`.ll-curate-column[data-state=invalid]`) || saveButton;
        row.focus();
      }
      values.hidden = true;
      Object.assign(open, { slot: null, key: null, offset: 0 });
    }
  };
  client.on("values", (reply) => {
    if (reply.key !== open.key || reply.slot !== open.slot) return;
    if (!reply.items.length && reply.offset > 0) { goTo(Math.max(0, reply.total - model.get("page_size"))); return; }
    values.hidden = false;
    open.offset = reply.offset;
    values.replaceChildren(...valuesView(reply, act, goTo, model.get("page_size")));
    if (refocus) {
      refocus = false;
      const target = values.querySelector(".ll-curate-value button");
      if (target) target.focus();
    }
  });
  for (const channel of ["status", "accept", "create", "standardize", "validate", "save"]) client.on(channel, showStatus);
  client.on("error", (msg) => setStatus(note, msg.message, "error"));

  const save = () => {
    setStatus(note, "Saving…", "busy");
    client.request("save", { key: keyInput.value, description: description.value });
  };
  for (const input of [keyInput, description]) {
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { save(); e.preventDefault(); }
      e.stopPropagation(); // typing here must not trigger notebook shortcuts
    });
  }
  validateButton.addEventListener("click", () => act("validate", {}));
  saveButton.addEventListener("click", save);
  model.on("change:revision", refresh);
  model.on("change:loaded", refresh);
  refresh();
  return () => {
    model.off("change:revision", refresh);
    model.off("change:loaded", refresh);
    client.close();
  };
}

export default { render };
