"""The public API of ``lamin_lab``: a pinned, sorted ``__all__`` and a side-effect-free import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PINNED = [
    "Artifact",
    "Branch",
    "Collection",
    "DB",
    "Feature",
    "Project",
    "Q",
    "QuerySet",
    "Record",
    "Reference",
    "Run",
    "SQLRecord",
    "Schema",
    "Space",
    "Storage",
    "Transform",
    "ULabel",
    "User",
    "context",
    "errors",
    "fields",
    "finish",
    "flow",
    "models",
    "save",
    "settings",
    "setup",
    "step",
    "track",
    "view",
]


def test_all_is_sorted():
    import lamin_lab

    assert lamin_lab.__all__ == sorted(lamin_lab.__all__)


def test_all_is_pinned():
    import lamin_lab

    assert lamin_lab.__all__ == PINNED


def test_every_name_in_all_is_importable():
    import lamin_lab

    assert all(getattr(lamin_lab, name, None) is not None for name in lamin_lab.__all__)


def test_registries_are_the_models_classes():
    import lamin_lab

    assert lamin_lab.ULabel is lamin_lab.models.ULabel
    assert issubclass(lamin_lab.ULabel, lamin_lab.SQLRecord)


def test_fields_module_offers_django_style_fields():
    from lamin_lab import fields

    assert {
        "CharField",
        "TextField",
        "ForeignKey",
        "JSONField",
        "DateTimeField",
        "BooleanField",
    } <= set(fields.__all__)


def _import_in_fresh_process(tmp_path: Path, code: str) -> dict:
    home = tmp_path / "home"
    env = dict(
        os.environ,
        LAMIN_LAB_HOME=str(home),
        LAMIN_LAB_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONPATH=str(REPO),
    )
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_writes_no_files(tmp_path):
    _import_in_fresh_process(tmp_path, "import lamin_lab, json; print(json.dumps({}))")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert written == []
    assert not (tmp_path / "home").exists()


def test_import_opens_no_database(tmp_path):
    out = _import_in_fresh_process(
        tmp_path,
        "import json, lamin_lab; from lamin_lab.orm.database import database; "
        "print(json.dumps({'bound': database.obj is not None, 'instance': lamin_lab.settings._instance is not None}))",
    )
    assert out == {"bound": False, "instance": False}


def test_import_loads_no_heavy_library(tmp_path):
    heavy = [
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
    ]
    out = _import_in_fresh_process(
        tmp_path,
        f"import json, sys, lamin_lab; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))",
    )
    assert out == []


LAZY_NAMESPACES = ["UPath", "core", "curators", "examples", "widgets"]


def test_public_names_of_the_package_are_all_and_its_lazy_namespaces(tmp_path):
    # Importing a subpackage binds it on the package: `orm`, `storage` and `tracking`
    # used to show in dir(ln) and tab completion although they are internals.
    names = _import_in_fresh_process(
        tmp_path,
        "import json, lamin_lab; "
        "print(json.dumps(sorted(k for k in dir(lamin_lab) if not k.startswith('_'))))",
    )
    assert names == sorted(PINNED + LAZY_NAMESPACES)


def test_public_names_stay_the_same_once_everything_is_loaded(tmp_path):
    names = _import_in_fresh_process(
        tmp_path,
        "import json, lamin_lab; [getattr(lamin_lab, n) for n in lamin_lab.__all__]; "
        "import lamin_lab.widgets, lamin_lab.catalog, lamin_lab.lineage; "
        "print(json.dumps(sorted(k for k in dir(lamin_lab) if not k.startswith('_'))))",
    )
    assert names == sorted(PINNED + LAZY_NAMESPACES)


def test_import_defines_no_registry_until_one_is_used(tmp_path):
    # `import lamin_lab` is a few milliseconds: peewee and the registries load on first use
    out = _import_in_fresh_process(
        tmp_path,
        "import json, sys, lamin_lab as ln; before = 'peewee' in sys.modules; ln.ULabel; "
        "print(json.dumps([before, 'peewee' in sys.modules, type(ln.settings).__name__]))",
    )
    assert out == [False, True, "Settings"]


def test_settings_stays_the_settings_object_whatever_is_imported_first(tmp_path):
    out = _import_in_fresh_process(
        tmp_path,
        "import json; from lamin_lab.models import ULabel; import lamin_lab as ln; "
        "print(json.dumps([type(ln.settings).__name__, ln.ULabel is ULabel]))",
    )
    assert out == ["Settings", True]


def test_internal_subpackages_stay_importable_by_full_name():
    from lamin_lab import orm, storage, tracking

    assert [m.__name__ for m in (orm, storage, tracking)] == [
        "lamin_lab.orm",
        "lamin_lab.storage",
        "lamin_lab.tracking",
    ]
