"""Guide cells for ``bench_guides.py``: extraction from LaminDB's guides and the source transform.

Split from ``bench_guides.py`` (which runs the cells): :func:`extract_cells` reads a MyST
markdown notebook or an ``.ipynb``; :func:`classify_cells` says which cells are skipped
(needs bionty, needs the network) and :func:`transform` rewrites a cell for one backend.
Cells that read the instance ``laminlabs/lamindata`` (``ln.DB("laminlabs/lamindata")``, a
variable bound to it, ``Registry.using("laminlabs/lamindata")``) run when that instance is
seeded locally (``seed_lamindata.py``); any other remote instance still needs the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LAMINDATA = "laminlabs/lamindata"

_FENCE = re.compile(r"^```(python|bash|shell)\b[^\n]*\n(.*?)^```\s*$", re.S | re.M)
_REGION = re.compile(r"^<!-- #region.*?-->.*?^<!-- #endregion -->", re.S | re.M)


def extract_cells(path: Path) -> list[str]:
    """Code cells of a MyST markdown notebook or an ``.ipynb``, shell fences as ``!`` lines.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.md"
    >>> _ = p.write_text("Text\\n\\n```python\\nx = 1\\n```\\n\\n```bash\\nlamin info\\n```\\n")
    >>> extract_cells(p)
    ['x = 1', '!lamin info']
    """
    text = path.read_text()
    if path.suffix == ".ipynb":
        notebook = json.loads(text)
        cells = []
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                cells.append("".join(source) if isinstance(source, list) else source)
        return [c.rstrip("\n") for c in cells]
    text = _REGION.sub("", text)
    cells = []
    for match in _FENCE.finditer(text):
        kind, body = match.group(1), match.group(2).rstrip("\n")
        if kind in ("bash", "shell"):
            body = "\n".join(
                "!" + line if line.strip() and not line.lstrip().startswith("#") else line
                for line in body.splitlines()
            )
        cells.append(body)
    return cells


# --- source transform -----------------------------------------------------------------

_BIONTY_IMPORT = re.compile(r"^\s*(import bionty( as bt)?|from bionty\b.*)\s*(#.*)?$", re.M)
_NEEDS_BIONTY = re.compile(
    r"\bbt\.|\bbionty\b|\bcell_types\b|\bgenes__|\bgenes=|\.genes\b|\bdiseases\b|\borganisms\b"
)
_NEEDS_NETWORK = re.compile(
    r"\bln\.connect\("
    r"|lamin login|lamin connect|ln\.setup\.login\("
    r"|\(\s*f?[\"'](s3|gs|hf|https?)://"
    r"|\bstorage\s*=\s*[\"'](s3|gs|hf)://|--storage\s+(s3|gs|hf)://"
)
# another instance: ln.DB("owner/name"), Registry.using/connect("owner/name"), a DB variable
_DB_ASSIGN = re.compile(r"\b(\w+)\s*=\s*ln\.DB\(\s*[\"']([^\"']*)[\"']\s*\)")
_OTHER_INSTANCE = re.compile(
    r"\bln\.DB\(\s*([\"']([^\"']*)[\"'])?|\.(?:using|connect)\(\s*[\"']([^\"']*)[\"']"
)
_DB_REGISTRY = re.compile(
    r"\b(\w+)\.(Artifact|Collection|Record|Transform|Run|Feature|Schema|ULabel|Project|User"
    r"|Storage|Reference|Branch|Space|view|bionty)\b"
)
_PIP = re.compile(r"^\s*!?\s*pip install\b.*$", re.M)
_INIT = re.compile(r"(^|\s|!)lamin init\b|\bsetup\.init\(")


def classify(
    source: str,
    seeded: bool = False,
    lamindata_vars: frozenset[str] = frozenset(),
    databases: frozenset[str] = frozenset(),
) -> str | None:
    """Why a cell is skipped (``"needs bionty"``/``"needs network"``), or None to run it.

    ``seeded``: a local ``laminlabs/lamindata`` exists, so cells reading it run;
    ``lamindata_vars``: names that earlier cells bound to ``ln.DB("laminlabs/lamindata")``;
    ``databases``: names that earlier cells bound to any ``ln.DB(...)`` (``db`` always is one).

    Examples
    --------
    >>> classify("import bionty as bt\\nbt.CellType.from_source(name='T cell')")
    'needs bionty'
    >>> classify('db = ln.DB("laminlabs/lamindata")')
    'needs network'
    >>> classify('db = ln.DB("laminlabs/lamindata")', seeded=True) is None
    True
    >>> classify('db.Artifact.get(key="x")', seeded=True, lamindata_vars=frozenset({"db"})) is None
    True
    >>> classify('db = ln.DB("laminlabs/cellxgene")', seeded=True)
    'needs network'
    >>> classify("ln.Artifact.filter(suffix='.csv').count()") is None
    True
    """
    code = _BIONTY_IMPORT.sub("", source)
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("#"))
    if _NEEDS_NETWORK.search(code):
        return "needs network"
    for match in _OTHER_INSTANCE.finditer(code):
        slug = match.group(2) or match.group(3)
        if not seeded or slug != LAMINDATA:
            return "needs network"
    bound = set(lamindata_vars) | _lamindata_assignments(code)
    for match in _DB_REGISTRY.finditer(code):
        name, attr = match.group(1), match.group(2)
        if name != "db" and name not in databases and name not in _db_assignments(code):
            continue  # not a database object (``artifact.Feature`` is no query of another instance)
        if name not in bound:
            return "needs network"
        if attr == "bionty":
            return "needs bionty"
    if _NEEDS_BIONTY.search(code):
        return "needs bionty"
    return None


def _db_assignments(code: str) -> set[str]:
    return {m.group(1) for m in _DB_ASSIGN.finditer(code)}


def _lamindata_assignments(code: str) -> set[str]:
    return {m.group(1) for m in _DB_ASSIGN.finditer(code) if m.group(2) == LAMINDATA}


def classify_cells(cells: list[str], seeded: bool = False) -> list[str | None]:
    """:func:`classify` for every cell of a guide, in order (a ``db = ln.DB(...)`` holds on).

    Examples
    --------
    >>> classify_cells(['db = ln.DB("laminlabs/lamindata")', 'db.Artifact.to_dataframe()'], seeded=True)
    [None, None]
    >>> classify_cells(['db = ln.DB("laminlabs/lamindata")', 'db.Artifact.to_dataframe()'])
    ['needs network', 'needs network']
    """
    bound: set[str] = set()
    databases: set[str] = set()
    reasons = []
    for cell in cells:
        reasons.append(
            classify(cell, seeded, lamindata_vars=frozenset(bound), databases=frozenset(databases))
        )
        databases |= _db_assignments(cell)
        for match in _DB_ASSIGN.finditer(cell):
            (bound.add if seeded and match.group(2) == LAMINDATA else bound.discard)(match.group(1))
    return reasons


def reads_lamindata(cells: list[str]) -> bool:
    """Whether a guide names ``laminlabs/lamindata`` in a cell (it then gets a seeded copy).

    Examples
    --------
    >>> reads_lamindata(['db = ln.DB("laminlabs/lamindata")'])
    True
    """
    return any(LAMINDATA in cell for cell in cells)


def rewrite_imports(source: str) -> str:
    source = re.sub(r"^(\s*)import lamindb\b", r"\1import lamin_lab", source, flags=re.M)
    return re.sub(r"^(\s*)from lamindb\b", r"\1from lamin_lab", source, flags=re.M)


def _shell_line(command: str) -> str:
    command = command.replace("--modules bionty", "").rstrip()
    if re.search(r"(^|\s)lamin init\b", command) and "--storage" not in command:
        command += " --storage ./guide-data"
    return command


def transform(source: str, backend: str) -> str:
    """The Python source the kernel executes for one cell (see the module docstring).

    Examples
    --------
    >>> transform("import lamindb as ln\\n!lamin info", "lamin_lab")
    "import lamin_lab as ln\\n_bench_shell('lamin info')"
    >>> transform("import lamindb as ln\\n%matplotlib inline", "lamindb")
    'import lamindb as ln'
    """
    source = _BIONTY_IMPORT.sub("", _PIP.sub("", source))
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("%"):
            continue
        if stripped.startswith("!"):
            lines.append(f"{indent}_bench_shell({_shell_line(stripped[1:].strip())!r})")
            continue
        lines.append(line)
    code = "\n".join(lines)
    if backend == "lamin_lab":
        code = rewrite_imports(code)
    return code


def needs_preinit(cells: list[str], reasons: list[str | None]) -> bool:
    return not any(
        reason is None and _INIT.search(cell) for cell, reason in zip(cells, reasons, strict=True)
    )
