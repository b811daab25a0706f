"""Architecture checks: imports flow one way through the layers, and
``import lamin_lab`` stays light.

The layer order (low to high) is the one in ARCHITECTURE.md::

    errors < settings < orm < setup < storage < models < tracking
           < {lineage, describe, curation, mapped} < {widgets, jupyter, cli}

A module may import from its own layer and lower ones. The checks read the
source with :mod:`ast`, so they see every import statement wherever it is:
module level, inside functions and classes, under ``if TYPE_CHECKING:``, and
``importlib.import_module("lamin_lab....")`` calls with a literal name.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "lamin_lab"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE

# Top-level module or subpackage name -> layer rank. Aliases that the
# architecture names explicitly: fields.py belongs to the ORM and curators/ to
# curation; __main__ is the command line. core/ is LaminDB's old namespace of aliases
# (errors, storage helpers, example data): a facade like the package itself, on top.
LAYERS: dict[str, int] = {
    "errors": 0,
    # The table of services of the higher layers (names as strings, imported on call): the
    # lowest layer, so any layer may reach them; its entries are checked below.
    "_services": 0,
    "settings": 1,
    "orm": 2,
    "fields": 2,
    "setup": 3,
    "storage": 4,
    "models": 5,
    "core": 8,
    "tracking": 6,
    "lineage": 7,
    "describe": 7,
    "curation": 7,
    "curators": 7,
    # The catalog service the panels and the sidebar share (registries, search, filters).
    "catalog": 7,
    # Example data: builds DataFrames and AnnData, and (LaminDB's define_features_labels)
    # registers features and labels, so it sits with the services above the models.
    "examples": 7,
    # MappedCollection reads AnnData files and knows no registry: a storage-level reader
    # that Collection.mapped() builds on.
    "mapped": 4,
    "widgets": 8,
    "jupyter": 8,
    "cli": 8,
    "__main__": 8,
}
LAYER_NAMES = {
    0: "errors",
    1: "settings",
    2: "orm",
    3: "setup",
    4: "storage/mapped",
    5: "models",
    6: "tracking",
    7: "lineage/describe/curation/catalog",
    8: "widgets/jupyter/cli",
}
# Importing names from the package root (`from lamin_lab import Artifact`)
# executes lamin_lab/__init__.py, which imports every layer: it sits above all.
ROOT_RANK = 9

HEAVY_MODULES = (
    "pandas",
    "numpy",
    "anndata",
    "h5py",
    "pyarrow",
    "torch",
    "fsspec",
    "upath",
    "rich",
    "rapidfuzz",
    "tqdm",
    "IPython",
    "anywidget",
)


@dataclass(frozen=True)
class ImportEdge:
    """One import found in a source file: who imports what, and where."""

    source: Path
    line: int
    target: str  # dotted module name inside the package, e.g. "lamin_lab.models.artifact.registry"


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package_init(path: Path) -> bool:
    return path.name == "__init__.py"


def _layer_of(module: str) -> int | None:
    """Rank of a dotted module name inside the package, ROOT_RANK for the root."""
    parts = module.split(".")
    if parts == [PACKAGE]:
        return ROOT_RANK
    return LAYERS.get(parts[1])


def _resolve_relative(path: Path, level: int, module: str | None) -> str:
    base = _module_name(path).split(".")
    # In a package __init__, "." is the package itself; in a module, its parent.
    keep = len(base) - level + (1 if _is_package_init(path) else 0)
    if keep < 1:
        raise AssertionError(f"{path}: relative import goes above the package")
    parts = base[:keep] + (module.split(".") if module else [])
    return ".".join(parts)


def _existing_submodule(module: str, name: str) -> str | None:
    """``module.name`` if that is a module or subpackage on disk, else None."""
    candidate = PACKAGE_DIR.parent.joinpath(*module.split("."), name)
    if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
        return f"{module}.{name}"
    return None


def _targets_of_from(path: Path, node: ast.ImportFrom) -> list[str]:
    if node.level:
        module = _resolve_relative(path, node.level, node.module)
    else:
        module = node.module or ""
    if module.split(".")[0] != PACKAGE:
        return []
    if module != PACKAGE:
        return [module]
    # `from lamin_lab import x`: a submodule import when x is one, otherwise a
    # name taken from the package root.
    return [_existing_submodule(module, alias.name) or PACKAGE for alias in node.names]


def _literal_import_module_call(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in {"import_module", "__import__"} or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _own_imports_of(path: Path, node: ast.AST) -> list[ImportEdge]:
    """The lamin_lab modules one AST node imports (import, from-import, import_module("...")."""
    targets: list[str] = []
    if isinstance(node, ast.Import):
        targets = [a.name for a in node.names if a.name.split(".")[0] == PACKAGE]
    elif isinstance(node, ast.ImportFrom):
        targets = _targets_of_from(path, node)
    elif isinstance(node, ast.Call):
        literal = _literal_import_module_call(node)
        if literal and literal.split(".")[0] == PACKAGE:
            targets = [literal]
    return [ImportEdge(path, node.lineno, t) for t in targets]


def _imports_in(path: Path) -> list[ImportEdge]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [edge for node in ast.walk(tree) for edge in _own_imports_of(path, node)]


def _checked_files() -> list[Path]:
    # The package root may import anything: it is the public API.
    exempt = {PACKAGE_DIR / "__init__.py"}
    return [p for p in _python_files() if p not in exempt]


def _violations(path: Path) -> list[str]:
    own = _layer_of(_module_name(path))
    problems = []
    for edge in _imports_in(path):
        target_rank = _layer_of(edge.target)
        if target_rank is None or own is None or target_rank <= own:
            continue  # unknown layers are reported by their own test
        where = f"{path.relative_to(PACKAGE_DIR.parent)}:{edge.line}"
        target_name = LAYER_NAMES.get(target_rank, "the package root (lamin_lab/__init__)")
        problems.append(
            f"{where} ({LAYER_NAMES[own]}) imports {edge.target} ({target_name}); "
            "a layer may import only from its own layer and lower ones: move the "
            "shared code down, or pass it in from the higher layer"
        )
    return problems


def test_package_has_python_files():
    assert PACKAGE_DIR.is_dir(), f"{PACKAGE_DIR} not found"
    assert (PACKAGE_DIR / "__init__.py").is_file()
    assert (PACKAGE_DIR / "errors.py").is_file()


def test_every_module_has_a_layer():
    unknown = sorted(
        str(p.relative_to(PACKAGE_DIR.parent))
        for p in _checked_files()
        if _layer_of(_module_name(p)) is None
    )
    assert unknown == [], (
        "these modules are in no layer; put them in a layer's package or add "
        f"their top-level name to LAYERS in tests/test_layers.py: {unknown}"
    )


def test_imports_follow_the_layer_order():
    problems = [msg for path in _checked_files() for msg in _violations(path)]
    assert problems == [], "imports against the layer order:\n" + "\n".join(problems)


def test_errors_module_imports_nothing_from_the_package():
    edges = _imports_in(PACKAGE_DIR / "errors.py")
    assert [e.target for e in edges] == []


# --- the checker itself, on small synthetic sources ------------------------


@pytest.fixture
def fake_package(tmp_path, monkeypatch) -> Path:
    """An empty lamin_lab package in tmp_path that the checker reads instead."""
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").touch()
    monkeypatch.setitem(globals(), "PACKAGE_DIR", root)
    return root


def _write(root: Path, rel: str, source: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent
    while folder != root.parent:
        (folder / "__init__.py").touch()
        folder = folder.parent
    path.write_text(source)
    return path


def test_checker_resolves_relative_imports(fake_package):
    _write(fake_package, "orm/base.py")
    source = "from ..models import artifact\nfrom . import base\nfrom .base import X\n"
    path = _write(fake_package, "orm/query.py", source)
    targets = [e.target for e in _imports_in(path)]
    assert targets == ["lamin_lab.models", "lamin_lab.orm", "lamin_lab.orm.base"]


def test_checker_resolves_relative_imports_in_package_init(fake_package):
    path = _write(fake_package, "models/__init__.py", "from .artifact import Artifact\n")
    assert [e.target for e in _imports_in(path)] == ["lamin_lab.models.artifact"]


def test_checker_sees_imports_inside_functions(fake_package):
    source = "def f():\n    import lamin_lab.widgets.search\n    return 1\n"
    path = _write(fake_package, "storage/paths.py", source)
    assert [e.target for e in _imports_in(path)] == ["lamin_lab.widgets.search"]


def test_checker_sees_import_module_calls(fake_package):
    source = "import importlib\nm = importlib.import_module('lamin_lab.tracking')\n"
    path = _write(fake_package, "models/run.py", source)
    assert [e.target for e in _imports_in(path)] == ["lamin_lab.tracking"]


def test_checker_maps_root_names_and_submodules(fake_package):
    _write(fake_package, "errors.py")
    path = _write(fake_package, "orm/base.py", "from lamin_lab import errors, Artifact\n")
    assert [e.target for e in _imports_in(path)] == ["lamin_lab.errors", "lamin_lab"]


def test_checker_flags_upward_import(fake_package):
    path = _write(fake_package, "storage/cache.py", "from ..models import Artifact\n")
    problems = _violations(path)
    assert len(problems) == 1
    expected = "lamin_lab/storage/cache.py:1 (storage/mapped) imports lamin_lab.models (models)"
    assert problems[0].startswith(expected)


def test_checker_flags_import_of_package_root(fake_package):
    path = _write(fake_package, "widgets/search.py", "def f():\n    import lamin_lab as ln\n")
    problems = _violations(path)
    assert len(problems) == 1
    assert "the package root" in problems[0]


def test_checker_allows_same_layer_and_lower(fake_package):
    source = "from ..describe import tree\nfrom ..models import Artifact\nimport lamin_lab.errors\n"
    path = _write(fake_package, "lineage/graph.py", source)
    assert _violations(path) == []


def test_layer_aliases():
    assert _layer_of("lamin_lab.fields") == LAYERS["orm"]
    assert _layer_of("lamin_lab.core.storage") == LAYERS["widgets"]  # a facade of aliases, on top
    assert _layer_of("lamin_lab.curators.df") == LAYERS["curation"]


# --- import lamin_lab stays light -------------------------------------------


def _import_tree(stderr: str) -> list[tuple[int, str]]:
    """(depth, module) per `-X importtime` line, in the order Python printed them."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        name_field = line.split("|")[-1]
        name = name_field.strip()
        if name == "imported package" or not name:
            continue
        depth = (len(name_field) - len(name_field.lstrip(" ")) - 1) // 2
        rows.append((depth, name))
    return rows


def _chain(rows: list[tuple[int, str]], index: int) -> str:
    """The import chain ending at rows[index]: a module is printed before its parent."""
    depth, name = rows[index]
    chain = [name]
    for later_depth, later_name in rows[index + 1 :]:
        if later_depth < depth:
            chain.append(later_name)
            depth = later_depth
    return " <- ".join(chain)


@pytest.fixture(scope="module")
def import_rows(tmp_path_factory) -> list[tuple[int, str]]:
    env = dict(os.environ, LAMIN_LAB_HOME=str(tmp_path_factory.mktemp("home")))
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import lamin_lab"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path_factory.mktemp("cwd"),
        timeout=120,
    )
    assert completed.returncode == 0, f"import lamin_lab failed:\n{completed.stderr[-4000:]}"
    rows = _import_tree(completed.stderr)
    assert any(name == PACKAGE for _, name in rows), "importtime output had no lamin_lab line"
    return rows


@pytest.mark.parametrize("heavy", HEAVY_MODULES)
def test_import_lamin_lab_does_not_import(heavy, import_rows):
    hits = [i for i, (_, name) in enumerate(import_rows) if name.split(".")[0] == heavy]
    chains = [_chain(import_rows, i) for i in hits[:1]]
    assert hits == [], (
        f"`import lamin_lab` imports {heavy}: {chains[0]}. Import it inside the "
        "function that needs it."
    )


def test_import_tree_parser_builds_chains():
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       5 |          5 |     numpy.core\n"
        "import time:      10 |         15 |   numpy\n"
        "import time:       3 |          3 |   lamin_lab.errors\n"
        "import time:      20 |         38 | lamin_lab\n"
    )
    rows = _import_tree(stderr)
    assert rows == [(2, "numpy.core"), (1, "numpy"), (1, "lamin_lab.errors"), (0, "lamin_lab")]
    assert _chain(rows, 0) == "numpy.core <- numpy <- lamin_lab"


# ---------------------------------------------------------------- hidden seams
# Own-module imports inside functions hide a dependency from a reader of the module head
# and from the layer order above; they are only for breaking a real cycle or deferring a
# heavy load. The counts below are today's (issue #14): they may go down, never up.
ALLOWED_IN_FUNCTION_IMPORTS: dict[str, int] = {
    "lamin_lab/core/__init__.py": 1,  # ln.core.datasets -> lamin_lab.examples (pandas, anndata)
    "lamin_lab/describe/tree.py": 2,  # the renderers import the tree (a cycle)
    "lamin_lab/jupyter/__init__.py": 1,  # the server handlers (tornado) load with the server
    "lamin_lab/lineage/graph.py": 4,  # the renderers and the layout import the graph (a cycle)
    "lamin_lab/models/artifact/artifact_set.py": 1,  # collection_ops imports it (a cycle)
    "lamin_lab/models/collection_ops.py": 2,  # h5py/anndata, numpy: only to load or map
    "lamin_lab/orm/relations.py": 2,  # the managers import the relations (a cycle)
    "lamin_lab/storage/tabular.py": 1,  # zarr, anndata: only for a backed .zarr
}
# The orm knows no registry by name (ARCHITECTURE.md): registries tell the orm what they
# need (``_orm_role``, ``ROLES`` in orm/relations.py).
ALLOWED_REGISTRY_NAMES_IN_ORM: dict[str, set[str]] = {}


def _in_function_imports(path: Path) -> list[ImportEdge]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            edges.extend(_own_imports_of(path, node))
    # A nested function is walked twice (as itself and inside its parent): count each once.
    return sorted(set(edges), key=lambda e: e.line)


def _in_function_import_counts() -> dict[str, int]:
    counts = {}
    for path in _python_files():
        found = _in_function_imports(path)
        if found:
            counts[str(path.relative_to(PACKAGE_DIR.parent))] = len({e.line for e in found})
    return counts


def _registry_names_in_orm() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE_DIR / "orm").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Subscript):
                continue
            base = node.value
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
            key = node.slice
            if name == "REGISTRY" and isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.setdefault(str(path.relative_to(PACKAGE_DIR.parent)), set()).add(key.value)
    return found


def test_in_function_own_imports_do_not_grow():
    counts = _in_function_import_counts()
    grown = {f: n for f, n in counts.items() if n > ALLOWED_IN_FUNCTION_IMPORTS.get(f, 0)}
    assert grown == {}, (
        "new lamin_lab imports inside functions (file: count); import at the module head, "
        "or, for a real cycle, say why next to the import and raise the count here"
    )


def test_in_function_own_import_allowances_are_not_stale():
    counts = _in_function_import_counts()
    stale = {f: n for f, n in ALLOWED_IN_FUNCTION_IMPORTS.items() if counts.get(f, 0) < n}
    assert stale == {}, "fewer in-function imports than allowed: lower the allowance"


def test_orm_names_no_registry_beyond_the_known_ones():
    found = _registry_names_in_orm()
    new = {f: names - ALLOWED_REGISTRY_NAMES_IN_ORM.get(f, set()) for f, names in found.items()}
    assert {f: n for f, n in new.items() if n} == {}, (
        "the orm looks up a registry by name; let the registry declare what the orm needs"
    )


def _service_calls() -> list[tuple[Path, int, str]]:
    """Every ``service("<name>")`` call in the package: (file, line, name)."""
    calls = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "service"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                calls.append((path, node.lineno, node.args[0].value))
    return calls


def test_every_service_called_is_in_the_table():
    from lamin_lab._services import SERVICES

    unknown = [
        f"{p.relative_to(PACKAGE_DIR.parent)}:{line}: {name!r}"
        for p, line, name in _service_calls()
        if name not in SERVICES
    ]
    assert not unknown, "service() names missing from lamin_lab/_services.py:\n" + "\n".join(
        unknown
    )


def test_every_service_resolves_to_a_function_above_each_caller():
    # The table is the only way down-up: each entry must exist, and be answered by a layer
    # above every module that calls it (else a plain import would do).
    import importlib

    from lamin_lab._services import SERVICES

    problems = []
    for name, target in SERVICES.items():
        module, _, attr = target.partition(":")
        if not callable(getattr(importlib.import_module(module), attr, None)):
            problems.append(f"{name}: {target} is not a function")
        for path, line, called in _service_calls():
            caller = _layer_of(_module_name(path))
            if called == name and caller is not None and caller >= _layer_of(module):
                where = f"{path.relative_to(PACKAGE_DIR.parent)}:{line}"
                problems.append(f"{where} could import {target} (same or lower layer)")
    assert not problems, "\n".join(problems)


def test_driver_errors_are_translated_in_one_place():
    # orm/database.py's two database classes translate every statement, transaction and
    # fetched row; a `with translate_errors():` elsewhere would say the opposite.
    callers = sorted(
        str(path.relative_to(PACKAGE_DIR))
        for path in PACKAGE_DIR.rglob("*.py")
        if path.name != "database.py" and "translate_errors()" in path.read_text()
    )
    assert callers == []
