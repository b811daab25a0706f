"""Transform identity: key, title, source code and source hash."""

from __future__ import annotations

import json

import pytest

from lamin_lab.errors import InvalidArgument
from lamin_lab.tracking.source import (
    code_cells,
    find_project_root,
    notebook_title,
    source_code,
    source_hash,
    transform_key,
)


def test_transform_key_is_path_inside_git_root(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    notebook = tmp_path / "repo" / "analyses" / "qc" / "run.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}")
    assert transform_key(notebook) == "analyses/qc/run.ipynb"


def test_transform_key_without_git_root_is_file_name(tmp_path):
    script = tmp_path / "deep" / "er" / "train.py"
    script.parent.mkdir(parents=True)
    script.write_text("")
    assert transform_key(script) == "train.py"


def test_git_file_of_a_worktree_marks_the_root(tmp_path):
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n")
    (tmp_path / "src").mkdir()
    assert find_project_root(tmp_path / "src" / "a.py") == tmp_path.resolve()
    assert transform_key(tmp_path / "src" / "a.py") == "src/a.py"


def test_nearest_git_root_wins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub" / ".git").mkdir(parents=True)
    assert transform_key(tmp_path / "sub" / "nb.ipynb") == "nb.ipynb"


def test_notebook_title_is_first_level_one_heading(tmp_path, write_notebook):
    path = write_notebook(
        tmp_path / "n.ipynb",
        [
            ("code", "# Not a title: a comment in code"),
            ("markdown", "## A level-two heading\nSome text"),
            ("markdown", "```\n# inside a fence\n```\nintro\n#   Cell counts per sample  ##\n"),
            ("markdown", "# Later heading"),
        ],
    )
    assert notebook_title(path) == "Cell counts per sample"


def test_notebook_title_none_without_heading(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "n.ipynb", [("markdown", "#hashtag is no heading")])
    assert notebook_title(path) is None


def test_source_code_is_percent_script_of_code_cells(tmp_path, write_notebook):
    path = write_notebook(
        tmp_path / "n.ipynb",
        [
            ("markdown", "# T"),
            ("code", "\nimport os  \n\n"),
            ("code", "   "),
            ("code", "x = 1\ny = 2"),
        ],
    )
    assert source_code(path, "notebook") == "# %%\nimport os\n\n# %%\nx = 1\ny = 2\n"


def test_source_code_of_script_is_its_text(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("print('hi')\n")
    assert source_code(script, "script") == "print('hi')\n"


def test_script_hash_is_md5_b64_of_bytes(tmp_path):
    script = tmp_path / "s.py"
    script.write_bytes(b"a")
    assert source_hash(script, "script") == "DMF1ucDxtqgxw5niaXcmYQ"


def _executed_variant(nb: dict) -> dict:
    """The same code, as if run and saved: outputs, counts, metadata, whitespace."""
    for i, cell in enumerate(nb["cells"]):
        cell["metadata"] = {"collapsed": True, "tags": ["x"]}
        if cell["cell_type"] == "code":
            cell["execution_count"] = i + 7
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "out\n"}]
            cell["source"] = [line + "   " for line in cell["source"].split("\n")]
            cell["source"] = "\r\n".join(cell["source"]) + "\n\n"
    nb["metadata"]["widgets"] = {"state": {}}
    nb["cells"].append({"cell_type": "code", "metadata": {}, "source": "\n", "outputs": []})
    return nb


def test_source_hash_ignores_outputs_metadata_and_whitespace(tmp_path, write_notebook):
    clean = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1\nprint(x)"), ("markdown", "hi")])
    ran = tmp_path / "b.ipynb"
    ran.write_text(json.dumps(_executed_variant(json.loads(clean.read_text()))))
    assert source_hash(ran, "notebook") == source_hash(clean, "notebook")


def test_source_hash_changes_with_code(tmp_path, write_notebook):
    one = write_notebook(tmp_path / "a.ipynb", [("code", "x = 1")])
    two = write_notebook(tmp_path / "b.ipynb", [("code", "x = 2")])
    assert source_hash(one, "notebook") != source_hash(two, "notebook")


def test_source_hash_ignores_markdown_edits(tmp_path, write_notebook):
    one = write_notebook(tmp_path / "a.ipynb", [("markdown", "# A"), ("code", "x = 1")])
    two = write_notebook(tmp_path / "b.ipynb", [("markdown", "# B"), ("code", "x = 1")])
    assert source_hash(one, "notebook") == source_hash(two, "notebook")


def test_code_cells_accept_list_sources(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "a.ipynb", [("code", "")])
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = ["a = 1\n", "b = 2"]
    path.write_text(json.dumps(nb))
    assert code_cells(path) == ["a = 1\nb = 2"]


def test_unreadable_notebook_says_what_to_do(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    with pytest.raises(InvalidArgument, match="saved .ipynb file"):
        code_cells(broken)
