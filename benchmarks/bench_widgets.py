"""Workbench panels measured in Chromium: search keystroke → hits, catalog page changes, notebook size.

Run: ``.venv/bin/python benchmarks/bench_widgets.py [--rows 100000] [--queries 40] [--pages 30]
[--lineage-runs 5] [--only-lineage]``

- an instance with ``--rows`` ULabels (cell-type-like names, a third with a description),
  saved with ``ln.save`` in batches; the Artifact constructor is not needed;
- a JupyterLab server and headless Chromium (the browser-test harness), a notebook with
  ``Search(registry="ULabel")`` and ``Catalog(["ULabel"])``;
- search: for each query of a typing session, the time from the ``input`` event to the
  hits being in the page (includes the 30 ms debounce) and from the request leaving
  (the status says "Searching…") to the hits rendered (kernel round trip + rendering);
- catalog: a click on "Next" (and on a column header, which sorts) to the new rows
  rendered, over ``--pages`` clicks;
- notebook size: a notebook with 10 panels (two of each) executed with
  ``nbclient(store_widget_state=True)``, and each panel's ``_esm`` + ``_css`` size;
- lineage (``--lineage-runs`` fresh instances, servers and kernels; medians): a 541-node
  graph from the notebook run to drawn, then a click on a node, a 300 ms pause (a person
  moving to the button) and "Expand ↑" to the new node drawn; where it goes (the kernel's
  request, the last layout, the first message back, the DOM change, the painted frame,
  the bytes); and the same with no pause (the layouts the pick starts ahead still running).
  ``--only-lineage`` keeps the other numbers of ``widgets.json``.

Results are printed and written to ``benchmarks/results/widgets.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import jlab  # noqa: E402
from tests.browser.widget_fixtures import run_code, write_notebook  # noqa: E402

KINDS = [
    "T cell",
    "B cell",
    "NK cell",
    "monocyte",
    "dendritic cell",
    "macrophage",
    "neutrophil",
    "hepatocyte",
    "fibroblast",
    "endothelial cell",
    "keratinocyte",
    "neuron",
    "astrocyte",
    "erythrocyte",
]
MARKERS = [
    "CD4-positive",
    "CD8-positive",
    "CD14-positive",
    "CD16-negative",
    "memory",
    "naive",
    "activated",
    "regulatory",
    "plasmacytoid",
    "classical",
]
TISSUES = [
    "blood",
    "spleen",
    "liver",
    "lung",
    "skin",
    "brain",
    "bone marrow",
    "lymph node",
    "kidney",
    "gut",
]
TYPING = [
    "h",
    "he",
    "hep",
    "hepa",
    "hepat",
    "hepatocyte",
    "hepatocyte l",
    "hepatocyte liv",
    "hepatocyte liver",
    "C",
    "CD",
    "CD8",
    "CD8-",
    "CD8-pos",
    "CD8-positive",
    "CD8-positive m",
    "CD8-positive memory",
    "n",
    "na",
    "nai",
    "naiv",
    "naive",
    "naive B",
    "naive B cell",
    "naive B cell of",
    "naive B cell of sple",
    "mon",
    "monocy",
    "monocyte of bl",
    "monocyte of blood 42",
    "kerat",
    "keratino",
    "keratinocyte of sk",
    "astrocyt",
    "astrocyte of bra",
    "fibrblast",
    "endothel",
    "endothelial cell of kid",
    "zzzq",
    "T cell",
]


def make_instance(home: Path, storage: Path, rows: int) -> float:
    """Fill a fresh instance with ``rows`` labels; return the seconds it took."""
    os.environ["LAMIN_LAB_HOME"] = str(home)
    import lamin_lab as ln

    ln.setup.init(storage=storage)
    rng = random.Random(7)
    start = time.perf_counter()
    batch = []
    for i in range(rows):
        name = f"{rng.choice(MARKERS)} {rng.choice(KINDS)} of {rng.choice(TISSUES)} {i}"
        description = f"a {rng.choice(KINDS)} seen in {rng.choice(TISSUES)}" if i % 3 == 0 else None
        batch.append(ln.ULabel(name=name, description=description))
        if len(batch) == 5000:
            ln.save(batch)
            batch = []
    if batch:
        ln.save(batch)
    ln.ULabel.search("warm up the index", limit=1)
    ln.setup.disconnect()
    return time.perf_counter() - start


SEARCH_JS = """async (q) => {
  const panel = document.querySelector('.ll-search');
  const input = panel.querySelector('input[type=search]');
  const status = panel.querySelector('.ll-status');
  return await new Promise((resolve) => {
    let sent = null;
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      const text = status.textContent;
      if (text === 'Searching…') { sent = performance.now(); return; }
      if (sent !== null && (text.startsWith('Results') || text.startsWith('No results'))) {
        const done = performance.now();
        observer.disconnect();
        resolve({ total: done - t0, roundtrip: done - sent, hits: panel.querySelectorAll('.ll-hit').length });
      }
    });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}"""

CATALOG_JS = """async (selector) => {
  const panel = document.querySelector('.ll-catalog');
  const table = panel.querySelector('table.ll-table');
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (table.querySelector('tbody')) {
        observer.disconnect();
        resolve({ ms: performance.now() - t0, rows: table.querySelectorAll('tbody tr').length });
      }
    });
    observer.observe(table, { childList: true });
    panel.querySelector(selector).click();
  });
}"""


def _stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(values[int(0.95 * (len(values) - 1))], 1),
        "min": round(values[0], 1),
        "max": round(values[-1], 1),
        "n": len(values),
    }


def browser_timings(storage: Path, base: Path, queries: int, pages: int) -> dict:
    """Open the benchmark notebook in JupyterLab and time searches and page changes."""
    from playwright.sync_api import sync_playwright

    server = jlab.start_server(base)
    try:
        notebook = base / "bench_widgets.ipynb"
        write_notebook(
            notebook,
            [
                f"import lamin_lab as ln\nln.setup.init(storage={str(storage)!r})\n"
                "from lamin_lab.widgets import Catalog, Search",
                'search = Search(registry="ULabel")\nsearch',
                'catalog = Catalog(["ULabel"])\ncatalog',
            ],
        )
        with sync_playwright() as playwright:
            browser = jlab.launch_browser(playwright)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(120_000)
            jlab.open_notebook(page, server, notebook)
            assert jlab.run_all(page) is True
            page.locator(".ll-catalog tbody tr").first.wait_for()
            page.evaluate(SEARCH_JS, "warm up")
            searches = [page.evaluate(SEARCH_JS, q) for q in (TYPING * 3)[:queries]]
            clicks = []
            for i in range(pages):
                selector = "th[data-column=name]" if i % 5 == 4 else "button.ll-next"
                clicks.append(page.evaluate(CATALOG_JS, selector))
            browser.close()
    finally:
        jlab.stop_server(server)
    return {
        "search_keystroke_to_hits_ms": _stats([s["total"] for s in searches]),
        "search_request_to_hits_ms": _stats([s["roundtrip"] for s in searches]),
        "search_mean_hits": round(statistics.mean(s["hits"] for s in searches), 1),
        "catalog_click_to_rows_ms": _stats([c["ms"] for c in clicks]),
    }


def make_lineage(storage: Path) -> list[str]:
    """60 parallel five-step pipelines into one collection; return the first-step outputs' node ids."""
    import pandas as pd

    import lamin_lab as ln

    ln.setup.init(storage=storage)  # reopens the benchmark's instance
    steps = [ln.Transform(key=f"lineage/step{s}.py", kind="script").save() for s in range(5)]
    finals, leaves = [], []
    for p in range(60):
        artifact = ln.Artifact.from_dataframe(
            pd.DataFrame({"p": [p], "s": [0]}), key=f"lineage/{p}/0.parquet"
        ).save()
        for s, transform in enumerate(steps):
            run = ln.Run(transform=transform).save()
            artifact.input_of_runs.add(run)
            artifact = ln.Artifact.from_dataframe(
                pd.DataFrame({"p": [p], "s": [s + 1]}), key=f"lineage/{p}/{s + 1}.parquet", run=run
            ).save()
            if s == 0:
                leaves.append(artifact)
        finals.append(artifact)
    ln.Collection(finals, key="lineage/final").save()
    ln.setup.disconnect()
    return [f"artifact:{leaf.uid}" for leaf in leaves]


SHOW_CELL = """import time
from lamin_lab.widgets import Lineage
t0 = time.perf_counter()
graph = ln.Collection.get(key="lineage/final").view_lineage(
    return_graph=True, cluster=False, with_children=False, upstream_depth=9
)
print(f"NODES={len(graph.nodes)} BUILD_MS={(time.perf_counter() - t0) * 1000:.1f}")
Lineage(graph=graph)"""

# Kernel-side clocks of an expand, set up before the panel is shown: the whole request
# (graph walk, layout, encoding and sending the update) and the layout alone.
KERNEL_CLOCKS_CELL = """import time
import lamin_lab.widgets.lineage as _wl
CLOCKS = {"handle": [], "layout": []}
def _timed(fn, key):
    def run(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            CLOCKS[key].append((time.perf_counter() - t0) * 1000)
    return run
_wl.Lineage._handle = _timed(_wl.Lineage._handle, "handle")
_wl.compute_layout = _timed(_wl.compute_layout, "layout")"""

LINEAGE_WATCH_JS = """() => {
  window.__lineage = { start: performance.now() };
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('.ll-lineage .ll-node').length >= 500 && !window.__lineage.done) {
      window.__lineage.done = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
}"""

# A click on a node, ``pause`` ms (a person moving to the button), then on "Expand ↑", timed:
# until the new node is in the page at a frame (``ms``, the headline), until the first comm
# message of the kernel's answer arrived (``recv``), until the DOM changed after it (``dom``,
# a MutationObserver), until the frame after that was painted (``painted``), and the bytes.
EXPAND_JS = """async ([nid, pause]) => {
  const panel = document.querySelector('.ll-lineage');
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const count = () => panel.querySelectorAll('.ll-node').length;
  panel.querySelector(`.ll-node[data-id="${nid}"]`).dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const up = panel.querySelector('.ll-expand-up');
  while (up.disabled) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, pause));
  const before = count();
  let recv = null, dom = null, bytes = 0;
  const onMessage = (_, args) => {
    if (args.direction !== 'recv' || args.msg.header.msg_type !== 'comm_msg') return;
    if (recv === null) recv = performance.now();
    bytes += JSON.stringify(args.msg.content).length;
  };
  kernel.anyMessage.connect(onMessage);
  const observer = new MutationObserver(() => {
    if (dom === null && count() > before) dom = performance.now();
  });
  observer.observe(panel, { childList: true, subtree: true });
  const t0 = performance.now();
  up.click();
  while (count() <= before) await new Promise((r) => requestAnimationFrame(r));
  const ms = performance.now() - t0;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // after that frame
  const painted = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 300)); // late messages still count as bytes
  kernel.anyMessage.disconnect(onMessage);
  observer.disconnect();
  return { ms, painted, recv: recv - t0, dom: (dom ?? performance.now()) - t0, bytes, before, after: count() };
}"""


def lineage_timings(storage: Path, base: Path) -> dict:
    """A lineage graph of 541 nodes: notebook run to drawn in Chromium, then expanding one hop."""
    from playwright.sync_api import sync_playwright

    leaves = make_lineage(storage)
    server = jlab.start_server(base)
    try:
        notebook = base / "bench_lineage.ipynb"
        write_notebook(
            notebook,
            [
                f"import lamin_lab as ln\nln.setup.init(storage={str(storage)!r})",
                KERNEL_CLOCKS_CELL,
                SHOW_CELL,
            ],
        )
        with sync_playwright() as playwright:
            browser = jlab.launch_browser(playwright)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(300_000)
            jlab.open_notebook(page, server, notebook)
            page.evaluate(LINEAGE_WATCH_JS)  # the clock starts here: run all → 500 nodes drawn
            assert jlab.run_all(page) is True
            page.wait_for_function("() => window.__lineage.done !== undefined")
            render_ms = page.evaluate("() => window.__lineage.done - window.__lineage.start")
            text = page.locator(".jp-OutputArea-output", has_text="NODES=").first.inner_text()
            info = dict(part.split("=", 1) for part in text.split())
            expand = page.evaluate(EXPAND_JS, [leaves[0], 300])
            clocks = _kernel_clocks(page)
            # no pause: the expand waits for the layouts the pick started ahead
            hasty = page.evaluate(EXPAND_JS, [leaves[1], 0])
            browser.close()
    finally:
        jlab.stop_server(server)
    return {
        "lineage_nodes": int(info["NODES"]),
        "lineage_graph_build_ms": float(info["BUILD_MS"]),
        "lineage_cell_to_drawn_ms": round(render_ms, 1),
        "lineage_expand_one_hop_ms": round(expand["ms"], 1),
        "lineage_expand_painted_ms": round(expand["painted"], 1),
        "lineage_expand_right_after_pick_ms": round(hasty["ms"], 1),
        "lineage_expand_kernel_ms": clocks["handle"],
        "lineage_expand_layout_ms": clocks["layout"],
        "lineage_expand_click_to_message_ms": round(expand["recv"], 1),
        "lineage_expand_click_to_dom_ms": round(expand["dom"], 1),
        "lineage_expand_bytes": expand["bytes"],
        "lineage_nodes_after_expand": expand["after"],
    }


def _kernel_clocks(page) -> dict[str, float]:
    """The kernel's clocks of the last expand request (the newest entries), read in a new cell."""
    code = "print(f\"HANDLE={CLOCKS['handle'][-1]:.1f} LAYOUT={CLOCKS['layout'][-1]:.1f}\")"
    text = run_code(page, code, expect="HANDLE=")
    return {k.lower(): float(v) for k, v in (p.split("=") for p in text.split())}


def lineage_runs(runs: int) -> dict:
    """``lineage_timings`` in ``runs`` fresh instances, servers and kernels: the medians, and each run."""
    each = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench_lineage_") as tmp:
            base = Path(tmp)
            os.environ["LAMIN_LAB_HOME"] = str(base / "lab" / "lamin_lab_home")
            import lamin_lab as ln

            ln.setup.init(storage=base / "data")
            ln.setup.disconnect()
            each.append(lineage_timings(base / "data", base / "lab"))
            print(f"run {i + 1}/{runs}: {json.dumps(each[-1])}", flush=True)
    result = {
        key: round(statistics.median(run[key] for run in each), 1)
        if isinstance(each[0][key], float)
        else each[0][key]
        for key in each[0]
    }
    result["lineage_expand_one_hop_ms_runs"] = [run["lineage_expand_one_hop_ms"] for run in each]
    return result


def notebook_size(base: Path) -> dict:
    """Size of an executed notebook with 10 panels, widget state stored."""
    import nbclient
    import nbformat

    from lamin_lab.widgets._base import load_css, load_esm

    path = base / "ten_panels.ipynb"
    write_notebook(
        path,
        [
            f"import lamin_lab as ln\nln.setup.init(storage={str(base / 'size-data')!r})\n"
            "from lamin_lab.widgets import *\n"
            "t = ln.Transform(key='prep.py', kind='script').save()\nr = ln.Run(transform=t).save()",
            *[
                f"{cls}({arg})"
                for cls, arg in [
                    ("Search", ""),
                    ("Lookup", "'ULabel'"),
                    ("Describe", "t"),
                    ("Lineage", "r"),
                    ("Catalog", ""),
                ]
                for _ in range(2)
            ],
        ],
    )
    notebook = nbformat.read(path, as_version=4)
    env_home = os.environ.get("LAMIN_LAB_HOME")
    nbclient.NotebookClient(
        notebook, kernel_name="python3", store_widget_state=True, timeout=300
    ).execute()
    nbformat.write(notebook, path)
    os.environ["LAMIN_LAB_HOME"] = env_home or ""
    sizes = {
        name: len(load_esm(name).encode())
        for name in ("search", "lookup", "describe", "lineage", "catalog")
    }
    return {
        "notebook_bytes": path.stat().st_size,
        "esm_bytes": sizes,
        "css_bytes": len(load_css().encode()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument(
        "--lineage-runs", type=int, default=5, help="fresh instances, servers and kernels"
    )
    parser.add_argument(
        "--only-lineage",
        action="store_true",
        help="measure the lineage panel only; keep the other numbers of widgets.json",
    )
    args = parser.parse_args()
    out = ROOT / "benchmarks" / "results" / "widgets.json"
    results = json.loads(out.read_text()) if args.only_lineage and out.exists() else {}
    if not args.only_lineage:
        with tempfile.TemporaryDirectory(prefix="bench_widgets_") as tmp:
            base = Path(tmp)
            storage = base / "data"
            seconds = make_instance(base / "lab" / "lamin_lab_home", storage, args.rows)
            print(f"instance with {args.rows} labels in {seconds:.1f} s")
            results.update(rows=args.rows, fill_seconds=round(seconds, 1))
            results.update(browser_timings(storage, base / "lab", args.queries, args.pages))
            results.update(notebook_size(base))
    results.update(lineage_runs(args.lineage_runs))
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    print(json.dumps(results, indent=2))
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
