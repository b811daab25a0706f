"""``lamin-lab save / load / describe / annotate / delete`` on records, run from the shell."""

from __future__ import annotations

import json


def _artifact_count(sh, **filters) -> int:
    return int(
        sh.python(f"import lamin_lab as ln; print(ln.Artifact.filter(**{filters!r}).count())")
    )


def test_save_a_file_makes_an_artifact_with_its_key(instance):
    (instance.cwd / "t.csv").write_text("a,b\n1,2\n")
    uid = instance("save t.csv --key tables/t.csv --description 'a table'").stdout.strip()
    assert len(uid) == 20
    code = (
        f"import lamin_lab as ln; a = ln.Artifact.get('{uid}'); print(a.key, a.description, a.size)"
    )
    assert instance.python(code) == "tables/t.csv a table 8"


def test_save_the_same_content_twice_returns_the_existing_artifact(instance):
    (instance.cwd / "t.csv").write_text("a,b\n1,2\n")
    first = instance("save t.csv --key t.csv").stdout.strip()
    assert instance("save t.csv --key t.csv").stdout.strip() == first
    assert _artifact_count(instance) == 1


def test_save_a_folder_makes_one_artifact(instance):
    (instance.cwd / "run1").mkdir()
    for name in ("a.txt", "b.txt"):
        (instance.cwd / "run1" / name).write_text(name)
    instance("save run1 --key runs/run1")
    assert (
        instance.python("import lamin_lab as ln; print(ln.Artifact.get(key='runs/run1').n_files)")
        == "2"
    )


def test_save_a_script_makes_a_transform_with_its_source(instance):
    (instance.cwd / "clean.py").write_text('"""Clean the table."""\nprint("hi")\n')
    instance("save clean.py")
    code = (
        "import lamin_lab as ln; t = ln.Transform.get(key='clean.py'); "
        "print(t.kind, '|', t.description, '|', repr(t.source_code))"
    )
    assert (
        instance.python(code)
        == 'script | Clean the table. | \'"""Clean the table."""\\nprint("hi")\\n\''
    )


def test_save_a_notebook_makes_a_notebook_transform(instance):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# My analysis"},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "x = 1",
        },
    ]
    (instance.cwd / "analysis.ipynb").write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    instance("save analysis.ipynb --key nbs/analysis.ipynb")
    code = "import lamin_lab as ln; t = ln.Transform.get(key='nbs/analysis.ipynb'); print(t.kind, t.description)"
    assert instance.python(code) == "notebook My analysis"


def test_save_a_notebook_stores_its_report_on_a_run(instance):
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": "print('hello report')",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "hello report\n"}],
        }
    ]
    (instance.cwd / "analysis.ipynb").write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    instance("save analysis.ipynb")
    code = (
        "import lamin_lab as ln; r = ln.Transform.get(key='analysis.ipynb').latest_run; "
        "print(r.status, r.report.suffix, 'hello report' in r.report.cache().read_text())"
    )
    assert instance.python(code) == "completed .html True"


def test_save_registry_artifact_keeps_a_script_as_data(instance):
    (instance.cwd / "clean.py").write_text("print(1)\n")
    instance("save clean.py --key code/clean.py --registry artifact")
    assert _artifact_count(instance, key="code/clean.py") == 1


def test_save_with_a_project_labels_the_artifact(instance):
    instance.python("import lamin_lab as ln; ln.Project(name='Atlas').save()")
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv --project Atlas")
    code = "import lamin_lab as ln; print([p.name for p in ln.Artifact.get(key='t.csv').projects])"
    assert instance.python(code) == "['Atlas']"


def test_save_with_an_unknown_project_writes_nothing(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    out = instance("save t.csv --key t.csv --project Nope", ok=False)
    assert out.returncode == 1 and "no project 'Nope'" in out.stderr
    assert _artifact_count(instance) == 0


def test_save_a_missing_path_is_one_clear_line(instance):
    out = instance("save nope.csv", ok=False)
    assert out.returncode == 1
    assert out.stderr == "error: nope.csv does not exist: pass the path of a file or folder\n"


def test_load_prints_the_local_path_of_the_latest_version(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    (instance.cwd / "t.csv").write_text("a\n2\n")
    instance("save t.csv --key t.csv")
    path = instance("load t.csv").stdout.strip()
    assert open(path).read() == "a\n2\n"
    assert instance("load --key t.csv").stdout.strip() == path


def test_load_a_transform_writes_its_source_back(instance):
    (instance.cwd / "clean.py").write_text("print('clean')\n")
    instance("save clean.py")
    (instance.cwd / "clean.py").unlink()
    assert instance("load --key clean.py").stdout.strip() == str(instance.cwd / "clean.py")
    assert (instance.cwd / "clean.py").read_text() == "print('clean')\n"


def test_load_a_notebook_writes_a_notebook_with_its_code_cells(instance):
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in ("x = 1", "print(x)")
    ]
    nb = instance.cwd / "nb.ipynb"
    nb.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    instance("save nb.ipynb")
    nb.unlink()
    instance("load nb.ipynb")
    assert [c["source"] for c in json.loads(nb.read_text())["cells"]] == ["x = 1", "print(x)"]


def test_load_does_not_overwrite_a_file(instance):
    (instance.cwd / "clean.py").write_text("print('clean')\n")
    instance("save clean.py")
    (instance.cwd / "clean.py").write_text("edited\n")
    out = instance("load clean.py", ok=False)
    assert out.returncode == 1 and "exists" in out.stderr
    assert (instance.cwd / "clean.py").read_text() == "edited\n"


def test_load_an_unknown_key_is_one_clear_line_without_traceback(instance):
    out = instance("load nope.csv", ok=False)
    assert out.returncode == 1
    assert out.stderr.startswith(
        "error: no artifact or collection or transform with uid or key 'nope.csv'"
    )
    assert "Traceback" not in out.stderr


def test_describe_prints_the_tree(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    uid = instance("save t.csv --key t.csv").stdout.strip()
    out = instance(f"describe artifact --uid {uid}").stdout
    assert out.startswith("Artifact  t.csv") and uid in out


def test_annotate_with_ulabels_and_features(instance):
    instance.python(
        "import lamin_lab as ln; ln.ULabel(name='T cell').save(); "
        "ln.Feature(name='cell_line', dtype=str).save()"
    )
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    instance("annotate --key t.csv --ulabel 'T cell' --features cell_line=HEK293")
    code = (
        "import lamin_lab as ln; a = ln.Artifact.get(key='t.csv'); "
        "print([u.name for u in a.ulabels], a.features.get_values())"
    )
    assert instance.python(code) == "['T cell'] {'cell_line': 'HEK293'}"


def test_annotate_with_nothing_says_what_to_pass(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    out = instance("annotate t.csv", ok=False)
    assert (
        out.returncode == 1
        and "pass --ulabels, --project, --features name=value, --readme FILE or --comment TEXT"
        in out.stderr
    )


def test_delete_moves_to_trash_then_permanent_removes_row_and_file(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    uid = instance("save t.csv --key t.csv").stdout.strip()
    path = instance(f"load {uid}").stdout.strip()
    instance("delete artifact t.csv")
    assert _artifact_count(instance) == 0 and _artifact_count(instance, branch_id=-1) == 1
    instance(f"delete artifact --uid {uid} --permanent")
    assert _artifact_count(instance, branch_id__in=[-1, 0, 1]) == 0
    assert not (instance.cwd / path).exists()


def test_deleting_a_trashed_artifact_again_needs_permanent(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    instance("save t.csv --key t.csv")
    instance("delete artifact t.csv")
    out = instance("delete artifact t.csv")
    assert "in the trash already: pass --permanent" in out.stderr
    assert _artifact_count(instance, branch_id=-1) == 1


def test_delete_a_record_by_name(instance):
    instance.python("import lamin_lab as ln; ln.Record(name='Experiment 1').save()")
    instance("delete record --name 'Experiment 1' --permanent")
    assert instance.python("import lamin_lab as ln; print(ln.Record.filter().count())") == "0"


def test_guide_cells_run_with_lamin_replaced_by_lamin_lab(shell):
    # The %%bash cells of LaminDB's CLI guide (lamin → lamin-lab), in order.
    (shell.cwd / "my_table.csv").write_text("a,b\n1,2\n")
    (shell.cwd / "my_script.py").write_text("print('hello')\n")
    cells = [
        "lamin init --storage ./test-cli",
        "lamin info",
        "lamin save my_table.csv --key my_tables/my_table.csv",
        "lamin save my_script.py --key my_scripts/my_script.py",
        "lamin describe --key my_tables/my_table.csv",
        "lamin load --key my_tables/my_table.csv",
        "lamin switch main",
        "lamin delete artifact --key my_tables/my_table.csv --permanent",
        "lamin delete test-cli --force",
    ]
    for cell in cells:
        shell(cell.replace("lamin ", "lamin-lab ", 1))


def test_the_readme_command_line_block_runs_as_written(shell):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    block = readme.split("## The command line", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line) for line in block.splitlines()]
    skip = ("--db postgresql", "lamin-lab demo")  # needs a PostgreSQL server / opens JupyterLab
    import pandas as pd

    pd.DataFrame({"cell": ["a", "b"]}).to_parquet(shell.cwd / "cells.parquet")
    (shell.cwd / "analysis.py").write_text("print('analysis')\n")
    for line in lines:
        if not line or any(s in line for s in skip):
            continue
        if line.startswith("lamin-lab load --key analysis.py"):
            (shell.cwd / "analysis.py").unlink()
        shell(line)
        if line.startswith("lamin-lab init"):
            shell.python(
                "import lamin_lab as ln; ln.Project(name='Atlas').save(); ln.ULabel(name='T cell').save(); "
                "ln.Feature(name='cell_line', dtype=str).save()"
            )
    assert (shell.cwd / "analysis.py").read_text() == "print('analysis')\n"


def test_load_takes_a_hub_style_url(instance):
    (instance.cwd / "t.csv").write_text("a\n1\n")
    uid = instance("save t.csv --key t.csv").stdout.strip()
    path = instance(f"load https://lamin.ai/me/mydata/artifact/{uid}").stdout.strip()
    assert open(path).read() == "a\n1\n"
