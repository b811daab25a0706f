// Curate panel: column states, a page of invalid values with suggestions, validate and save.
// The browser asks for the status and one page of values at a time, never for the dataset.

const STATE_TEXT = { valid: "validated", invalid: "not validated", dtype: "dtype issue", missing: "missing",
  extra: "extra" };

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
  const help = h("div", { class: "ll-curate-help" },
    h("p", {}, "Nothing to curate yet. Load a DataFrame or AnnData with the schema to validate it against:"),
    h("pre", { class: "ll-code" }, "wb.curate.load(df, schema)      # in a Workbench\n" +
      "ln.widgets.Curate(df, schema)  # on its own"),
    h("p", { class: "ll-muted" }, "The panel then lists every column's state, the values that match no record " +
      "with suggestions to accept, and saves the validated dataset as an artifact."));
  const body = h("div", { class: "ll-curate-body" }, header, summary,
    h("div", { class: "ll-table-wrap" }, table), values, note, problems,
    h("div", { class: "ll-row ll-curate-save-row" }, keyInput, description, validateButton, saveButton), saved);
  el.append(h("div", { class: "ll-panel ll-curate" }, help, body));

  const showLoaded = () => {
    const loaded = model.get("loaded");
    help.hidden = loaded;
    body.hidden = !loaded;
  };
  const refresh = () => {
    showLoaded();
    if (model.get("loaded")) client.request("status", {});
  };
  const openColumn = (slot, key) => {
    Object.assign(open, { slot, key, offset: 0 });
    table.querySelectorAll(".ll-curate-column").forEach((tr) =>
      tr.classList.toggle("ll-picked", tr.dataset.key === key && tr.dataset.slot === slot));
    loadValues();
  };
  const loadValues = () => {
    if (open.key === null) return;
    client.request("values", { slot: open.slot, key: open.key, offset: open.offset, limit: model.get("page_size") });
  };
  const act = (type, payload) => {
    setStatus(note, "Working…", "busy");
    client.request(type, { slot: open.slot, key: open.key, ...payload });
  };

  const stateCell = (row) => h("td", {}, h("span", { class: `ll-state ll-state-${row.state}` },
    STATE_TEXT[row.state] || row.state),
    row.state === "invalid" ? h("span", { class: "ll-muted" }, ` ${row.n_invalid} of ${row.n_values}`) : null);
  const columnRow = (row) => {
    const name = row.slot ? `${row.slot}: ${row.key}` : row.key;
    const fixable = row.state === "invalid";
    const isOpen = open.key === row.key && open.slot === row.slot;
    const choose = () => { if (fixable) openColumn(row.slot, row.key); };
    return h("tr", { class: "ll-curate-column" + (isOpen ? " ll-picked" : ""), tabindex: fixable ? 0 : null,
      dataset: { key: row.key, slot: row.slot, state: row.state }, onclick: choose,
      onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { choose(); e.preventDefault(); } } },
    h("td", { class: "ll-name", title: name }, name), stateCell(row),
    h("td", { class: "ll-code", title: row.actual }, row.dtype + (row.actual ? ` (${row.actual})` : "")),
    h("td", { class: "ll-curate-message", title: row.message },
      fixable ? "Click to see the values and suggestions." : row.message));
  };

  const showStatus = (reply) => {
    const d = reply.dataset || {};
    header.textContent = `${d.kind} · ${d.rows} rows × ${d.columns} columns · schema ${d.schema}`;
    const bad = reply.columns.filter((c) => c.blocking);
    setStatus(summary, reply.valid ? "All columns validated ✓ — type a key and click Save."
      : `${bad.length} of ${reply.columns.length} columns need attention: ${bad.map((c) => c.key).join(", ")}`,
      reply.valid ? "ok" : "error");
    table.replaceChildren(h("thead", {}, h("tr", {}, ["Column", "State", "dtype (actual)", "Details"].map(
      (t) => h("th", {}, t)))), h("tbody", {}, reply.columns.map(columnRow)));
    if (reply.note !== undefined) setStatus(note, reply.note, "");
    problems.hidden = !reply.problems;
    problems.textContent = reply.problems || "";
    saved.replaceChildren(...(reply.saved ? [h("span", { class: "ll-badge ll-badge-artifact" }, "Artifact"), " Saved ",
      h("span", { class: "ll-name" }, reply.saved.label), " · uid ", h("span", { class: "ll-code ll-curate-uid" },
        reply.saved.uid)] : []));
    const current = reply.columns.find((c) => c.key === open.key && c.slot === open.slot);
    if (current && current.state === "invalid") loadValues();
    else if (open.key !== null) {
      values.hidden = true;
      Object.assign(open, { slot: null, key: null, offset: 0 });
    }
  };

  const suggestionButton = (item, s) => h("button", { class: "ll-accept", dataset: { suggestion: s.name },
    title: s.kind === "synonym" ? "a synonym of this name" : `similarity ${s.score}`,
    onclick: () => act("accept", { value: item.raw, suggestion: s.name }) },
  `Accept “${s.name}”`, s.kind === "synonym" ? " (synonym)" : "");
  const valueItem = (item) => h("li", { class: "ll-curate-value", dataset: { value: item.raw } },
    h("span", { class: "ll-name ll-value" }, item.value),
    h("span", { class: "ll-curate-actions" },
      item.suggestions.length ? item.suggestions.map((s) => suggestionButton(item, s))
        : h("span", { class: "ll-muted" }, "no close match"),
      h("button", { class: "ll-create", onclick: () => act("create", { value: item.raw }) }, "Create label")));

  client.on("values", (reply) => {
    if (reply.key !== open.key || reply.slot !== open.slot) return;
    values.hidden = false;
    open.offset = reply.offset;
    const end = reply.offset + reply.items.length;
    const prev = h("button", { class: "ll-prev", disabled: reply.offset === 0,
      onclick: () => { open.offset = Math.max(0, open.offset - model.get("page_size")); loadValues(); } }, "◀ Previous");
    const next = h("button", { class: "ll-next", disabled: end >= reply.total,
      onclick: () => { open.offset += model.get("page_size"); loadValues(); } }, "Next ▶");
    const tools = [h("button", { class: "ll-create-all", onclick: () => act("create", { all: true }) },
      `Create ${reply.total} ${reply.registry} label${reply.total === 1 ? "" : "s"}`)];
    if (reply.n_synonyms) tools.push(h("button", { class: "ll-standardize", onclick: () => act("standardize", {}) },
      `Replace ${reply.n_synonyms} synonym${reply.n_synonyms === 1 ? "" : "s"}`));
    values.replaceChildren(
      h("div", { class: "ll-row" }, h("span", { class: "ll-name" },
        `“${reply.key}”: ${reply.total} value${reply.total === 1 ? " matches" : "s match"} no ${reply.registry}`), ...tools),
      h("ul", { class: "ll-list ll-curate-value-list", "aria-label": `Invalid values of ${reply.key}` },
        reply.items.map(valueItem)),
      h("div", { class: "ll-menu" }, prev, next,
        h("span", { class: "ll-muted ll-page-info" }, reply.total ? `${reply.offset + 1}–${end} of ${reply.total}` : "")));
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
