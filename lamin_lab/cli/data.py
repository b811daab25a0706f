"""Data verbs: ``save``, ``load``, ``describe``, ``annotate``.

Examples
--------
$ lamin-lab save cells.parquet --key tables/cells.parquet
$ lamin-lab load tables/cells.parquet
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from .. import models
from ..errors import DoesNotExist, InvalidArgument
from ..models import Artifact, Collection, Project, Run, Transform, ULabel
from ..orm.fields import utcnow
from ..tracking.context import source_spec
from ..tracking.detect import RunningFile
from ..tracking.identity import resolve_transform
from ..tracking.report import notebook_report_html
from ..tracking.run_artifacts import save_report
from ._common import add_target, add_verb, say, target

SOURCE_SUFFIXES = {".py": "script", ".ipynb": "notebook"}


def _project(name: str) -> Any:
    found = Project.filter(name=name).first() or Project.filter(uid=name).first()
    if found is None:
        raise DoesNotExist(
            f"no project {name!r}: create it in Python with ln.Project(name={name!r}).save()"
        )
    return found


def _save_transform(path: Path, args: argparse.Namespace) -> Any:
    kind = SOURCE_SUFFIXES[path.suffix]
    spec = source_spec(RunningFile(path=path, kind=kind, how="path"))
    if args.key or args.description:
        spec = dataclasses.replace(
            spec, key=args.key or spec.key, description=args.description or spec.description
        )
    resolution = resolve_transform(spec)
    transform = resolution.transform
    if args.description and transform.description != args.description:
        transform.description = args.description
        transform.save()
    verb = "created" if resolution.created else "found"
    say(f"→ {verb} Transform('{transform.uid}', key={transform.key!r}) with its source code")
    if kind == "notebook":
        _save_notebook_report(transform, path)
    return transform


def _save_notebook_report(transform: Any, path: Path) -> None:
    # As `lamin save`: the rendered notebook becomes the report of the transform's latest run
    # (a new run when it has none, or when the latest already has a report).
    try:
        html = notebook_report_html(path)
    except ImportError:
        say("! saved no report: rendering a notebook needs nbconvert (pip install nbconvert)")
        return
    run = transform.latest_run
    if run is None or run.report is not None:
        run = Run(transform=transform).save()
    run.report = save_report(html, ".html", run)
    if run.finished_at is None:  # a run of its own, or one left unfinished: completed now
        run.finished_at, run._status_code = utcnow(), 0
    run.save()
    say(f"→ saved the notebook's report as the report of Run('{run.uid}')")


def _save_artifact(path: Path, args: argparse.Namespace) -> Any:
    artifact = Artifact(str(path), key=args.key, description=args.description).save()
    say(f"→ saved Artifact('{artifact.uid}', key={artifact.key!r}, size={artifact.size})")
    return artifact


def _save(args: argparse.Namespace) -> int:
    path = Path(args.path).expanduser()
    if not path.exists():
        raise InvalidArgument(f"{args.path} does not exist: pass the path of a file or folder")
    as_transform = args.registry == "transform" or (
        args.registry is None and path.suffix in SOURCE_SUFFIXES
    )
    if as_transform and path.suffix not in SOURCE_SUFFIXES:
        raise InvalidArgument(
            f"--registry transform takes a .py script or .ipynb notebook, not {path.name}"
        )
    project = _project(args.project) if args.project else None  # fail before writing anything
    record = _save_transform(path.resolve(), args) if as_transform else _save_artifact(path, args)
    if project is not None:
        record.projects.add(project)
        say(f"→ labeled with project {project.name!r}")
    print(record.uid)
    return 0


def _write_source(transform: Any) -> Path:
    if not transform.source_code:
        raise InvalidArgument(
            f"Transform('{transform.uid}') has no source code stored: nothing to load"
        )
    name = Path(transform.key).name
    target = Path.cwd() / name
    if transform.kind == "notebook" and not name.endswith(".ipynb"):
        target = target.with_suffix(".ipynb")
    if target.exists():
        raise InvalidArgument(
            f"{target} exists: move it away (or run lamin-lab load in another folder) "
            "so it is not overwritten"
        )
    if transform.kind == "notebook":
        # A notebook's source is stored in percent format (a "# %%" line per code cell).
        chunks = re.split(r"^# %%[^\n]*\n", transform.source_code, flags=re.M)
        cells = [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": chunk.strip("\n"),
            }
            for chunk in chunks
            if chunk.strip()
        ]
        nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        target.write_text(json.dumps(nb, indent=1))
    else:
        target.write_text(transform.source_code)
    return target


def _load(args: argparse.Namespace) -> int:
    record = target(args)
    if isinstance(record, Transform):
        written = _write_source(record)
        say(f"→ wrote the source of Transform('{record.uid}') to {written}")
        print(written)
        return 0
    paths = record.cache() if isinstance(record, Collection) else [record.cache()]
    for path in paths:
        print(path)
    return 0


def _describe(args: argparse.Namespace) -> int:
    record = target(args, current_branch=True)
    text = record.describe(return_str=True, include=args.include)
    print(text if text is not None else repr(record))
    return 0


def _feature_values(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InvalidArgument(
                f"--features takes name=value pairs, not {pair!r} (e.g. cell_line=HEK293)"
            )
        values[name] = value.split(",") if "," in value else value
    return values


def _read_readme(path: str | None) -> str | None:
    if path is None:
        return None
    file = Path(path).expanduser()
    if not file.is_file():
        raise InvalidArgument(f"--readme {path}: no such file; pass the path of a markdown file")
    return file.read_text(encoding="utf-8")


def _add_block(record: Any, content: str, kind: str) -> Any:
    # BranchBlock for a Branch, ArtifactBlock for an Artifact, ... (attached to the record)
    model = getattr(models, f"{type(record).__name__}Block", None)
    if model is None:
        raise InvalidArgument(
            f"a {type(record).__name__} takes no {kind}: annotate an artifact, a branch, ..."
        )
    return model(**{model._anchor: record}, content=content, kind=kind).save()


def _annotate_blocks(record: Any, readme: str | None, comment: str | None) -> list[str]:
    done = []
    if readme is not None:
        _add_block(record, readme, "readme")
        done.append("a readme")
    if comment is not None:
        _add_block(record, comment, "comment")
        done.append("a comment")
    return done


def _annotate(args: argparse.Namespace) -> int:
    readme = _read_readme(args.readme)  # fail before anything is written
    record = target(args, current_branch=True)
    if isinstance(record, models.Branch):
        if args.ulabels or args.project or args.features:
            raise InvalidArgument("a branch takes --readme and --comment only")
        if readme is None and args.comment is None:
            raise InvalidArgument(
                "nothing to annotate the branch with: pass --readme FILE or --comment TEXT"
            )
        done = _annotate_blocks(record, readme, args.comment)
        say(f"→ annotated branch {record.name!r} with {' and '.join(done)}")
        return 0
    labels = []
    for name in args.ulabels or []:
        label = ULabel.filter(name=name).first() or ULabel.filter(uid=name).first()
        if label is None:
            raise DoesNotExist(
                f"no ulabel {name!r}: create it in Python with ln.ULabel(name={name!r}).save()"
            )
        labels.append(label)
    projects = [_project(p) for p in args.project or []]
    features = _feature_values(args.features or [])
    if not (labels or projects or features or readme is not None or args.comment is not None):
        raise InvalidArgument(
            "nothing to annotate with: pass --ulabels, --project, --features name=value, "
            "--readme FILE or --comment TEXT"
        )
    if features:
        record.features.update_values(features)
    if labels:
        record.ulabels.add(labels)
    for project in projects:
        record.projects.add(project)
    blocks = _annotate_blocks(record, readme, args.comment)
    say(
        f"→ annotated {type(record).__name__}('{record.uid}'): {len(labels)} ulabels, {len(projects)} projects, "
        f"{len(features)} features" + "".join(f", {b}" for b in blocks)
    )
    return 0


def register(sub: Any) -> None:
    """Add the data verbs to the ``lamin-lab`` parser.

    Examples
    --------
    >>> register(argparse.ArgumentParser().add_subparsers())
    """
    p = add_verb(
        sub,
        "save",
        "save a file or folder as an artifact, a .py/.ipynb as a transform with its source",
        "lamin-lab save cells.parquet --key tables/cells.parquet --description 'cell table'\n"
        "lamin-lab save analysis.py",
        _save,
    )
    p.add_argument("path", help="file or folder")
    p.add_argument("--key", default=None, help="key in the catalog, e.g. tables/cells.parquet")
    p.add_argument("--description", default=None)
    p.add_argument(
        "--project", default=None, help="name or uid of a project to label the record with"
    )
    p.add_argument(
        "--registry",
        choices=("artifact", "transform"),
        default=None,
        help="force the registry (default: transform for .py/.ipynb, else artifact)",
    )
    p = add_verb(
        sub,
        "load",
        "cache an artifact and print its local path; write a transform's source back",
        "lamin-lab load tables/cells.parquet\nlamin-lab load --key analysis.py\n"
        "lamin-lab load artifact --uid 3LoS1M0gbgnrhvcA",
        _load,
    )
    add_target(p)
    p = add_verb(
        sub,
        "describe",
        "describe an artifact, collection, transform or branch (default: the current one)",
        "lamin-lab describe tables/cells.parquet\nlamin-lab describe --key tables/cells.parquet\n"
        "lamin-lab describe branch --include comments   # the current branch, with its comments\n"
        "lamin-lab describe branch --name my_branch",
        _describe,
    )
    add_target(p)
    p.add_argument(
        "--include", choices=("comments",), default=None, help="also show comments (and notes)"
    )
    p = add_verb(
        sub,
        "annotate",
        "label a record with ulabels, projects, feature values, a readme or a comment",
        "lamin-lab annotate tables/cells.parquet --ulabels 'T cell' --features cell_line=HEK293\n"
        "lamin-lab annotate branch --readme README.md   # notes on the current branch\n"
        "lamin-lab annotate branch --comment 'ready for review?'",
        _annotate,
    )
    add_target(p)
    p.add_argument(
        "--readme", default=None, metavar="FILE", help="a markdown file: the record's notes"
    )
    p.add_argument("--comment", default=None, help="comment text")
    p.add_argument(
        "--ulabels",
        "--ulabel",
        dest="ulabels",
        nargs="+",
        action="extend",
        default=None,
        help="names or uids of existing ulabels",
    )
    p.add_argument(
        "--project",
        nargs="+",
        action="extend",
        default=None,
        help="names or uids of existing projects",
    )
    p.add_argument(
        "--features",
        nargs="+",
        action="extend",
        default=None,
        metavar="NAME=VALUE",
        help="values of existing features (a,b for several)",
    )
