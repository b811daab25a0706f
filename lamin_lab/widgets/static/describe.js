// Describe panel: the describe tree as collapsible sections, a lazy preview,
// versions to switch between, and links to related records and to lineage.

import { h, breakable, makeClient, setStatus, badge } from "./common.js";

function sectionNode(section) {
  const rows = section.rows.length ? h("table", {}, section.rows.map((row) => h("tr", {},
    h("td", { class: "ll-label" }, row.label),
    row.dtype ? h("td", { class: "ll-muted" }, row.dtype) : null,
    h("td", { class: row.kind === "code" || row.kind === "path" ? "ll-code" : "" }, breakable(row.text))))) : null;
  const details = h("details", { class: "ll-section", dataset: { section: section.name } },
    h("summary", {}, section.name, section.note ? h("span", { class: "ll-note" }, section.note) : null),
    rows, section.children.map(sectionNode));
  details.open = section.open;
  return details;
}

function previewNode(preview) {
  if (preview.kind === "table") {
    return h("div", { class: "ll-table-wrap" }, h("table", { class: "ll-table" },
      h("thead", {}, h("tr", {}, preview.columns.map((c) => h("th", {}, c)))),
      h("tbody", {}, preview.rows.map((row) => h("tr", {}, row.map((v) => h("td", { title: v }, v)))))),
      h("div", { class: "ll-muted" }, `first ${preview.rows.length} rows` +
        (preview.total_rows !== null && preview.total_rows !== undefined ? ` of ${preview.total_rows}` : "")));
  }
  if (preview.kind === "anndata") {
    return h("table", { class: "ll-tree" }, preview.rows.map(([k, v]) =>
      h("tr", {}, h("td", { class: "ll-label" }, k), h("td", {}, v))));
  }
  if (preview.kind === "image" && /^data:image\/(png|jpeg|gif|webp);base64,/.test(preview.src)) {
    return h("img", { src: preview.src, alt: "preview" });
  }
  if (preview.kind === "text") {
    return h("pre", {}, preview.text + (preview.truncated ? "\n…" : ""));
  }
  return h("div", { class: "ll-status ll-status-empty" }, preview.message || "No preview.");
}

function render({ model, el }) {
  const client = makeClient(model);
  const root = h("div", { class: "ll-panel ll-describe" });
  const status = h("div", { class: "ll-status" });
  el.append(root);

  const open = (ref) => client.request("open", { registry: ref.registry, id: ref.id });
  function draw() {
    const view = model.get("view") || {};
    if (!view.tree) {
      setStatus(status, view.empty || "Nothing to describe.", "empty");
      root.replaceChildren(status);
      return;
    }
    setStatus(status, "");
    const tree = view.tree;
    const header = h("div", { class: "ll-header" }, badge(tree.title), " ", tree.subtitle || view.ref.label,
      tree.version ? h("span", { class: "ll-muted" }, " · version " + tree.version) : null);
    const links = h("div", { class: "ll-menu ll-related" },
      view.has_lineage ? h("button", { class: "ll-open-lineage", onclick: () => client.request("lineage", {}) },
        "Lineage ↗") : null,
      view.related.map((ref) => h("button", { class: "ll-related-link", title: ref.role, onclick: () => open(ref) },
        `${ref.role}: ${ref.label}`)));
    const body = h("div", { class: "ll-tree" }, tree.sections.map(sectionNode));
    const parts = [header, links, status, body];
    if (view.versions.length > 1) {
      const select = h("select", { class: "ll-versions", "aria-label": "Version" }, view.versions.map((v) =>
        h("option", { value: v.id, selected: v.current }, `${v.version || v.uid}  ${v.created}${v.current ? "  (shown)" : ""}`)));
      select.addEventListener("change", () => open({ registry: view.ref.registry, id: select.value }));
      parts.push(h("div", { class: "ll-row" }, h("span", { class: "ll-muted" }, "Versions:"), select));
    }
    if (view.preview) {
      const content = h("div", { class: "ll-status ll-status-busy" }, "Loading preview…");
      const details = h("details", { class: "ll-preview" }, h("summary", {}, `Preview (${view.preview})`), content);
      let asked = false;
      details.addEventListener("toggle", () => {
        if (details.open && !asked) { asked = true; client.request("preview", {}); }
      });
      client.on("preview", (reply) => {
        if (reply.uid === view.ref.uid) content.replaceChildren(previewNode(reply.preview)); // not an older record's
      });
      parts.push(details);
    }
    root.replaceChildren(...parts);
  }

  client.on("open", () => {});
  client.on("lineage", (reply) => {
    if (!reply.handled) setStatus(status, "Show it with record.view_lineage(), or use the Workbench.", "empty");
  });
  client.on("error", (msg) => setStatus(status, msg.message, "error"));
  model.on("change:view", draw);
  draw();
  return () => { client.close(); model.off("change:view", draw); };
}

export default { render };
