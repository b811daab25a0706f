"""Folder trees as text (``UPath.view_tree()``): levels, limits and the counts line, as LaminDB prints them."""

from __future__ import annotations

import pytest

from lamin_lab.errors import PathDoesNotExist, PathIsNotAFolder
from lamin_lab.storage.tree import file_tree, upath_class


@pytest.fixture
def folder(tmp_path):
    """d/a.csv, d/sub/c.txt, d/sub/deep/e.parquet: entries created one per folder, so the order is fixed."""
    d = tmp_path / "d"
    (d / "sub" / "deep").mkdir(parents=True)
    (d / "a.csv").write_text("1")
    (d / "sub" / "c.txt").write_text("c")
    (d / "sub" / "deep" / "e.parquet").write_text("e")
    return d


def _lines(path, **kwargs):
    return file_tree(path, **kwargs)[0].splitlines()


def test_the_first_line_counts_folders_files_and_suffixes(folder):
    head = _lines(folder)[0]
    assert head.startswith("2 sub-directories & 3 files with suffixes ")
    assert sorted(head.split("suffixes ")[1].split(", ")) == ["'.csv'", "'.parquet'", "'.txt'"]


def test_the_second_line_is_the_resolved_folder(folder):
    assert _lines(folder)[1] == str(folder.resolve())


def test_folders_end_with_a_slash_and_nest_under_their_parent(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c.txt").write_text("c")
    assert _lines(tmp_path, level=-1)[2:] == ["└── a/", "    └── b/", "        └── c.txt"]


def test_a_folder_that_is_not_last_draws_a_vertical_line_for_its_entries(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "b").mkdir()
    body = _lines(tmp_path)[2:]
    first = body[0][4:]  # the folder listed first: a/ or b/, as the file system orders them
    expected = (
        ["├── a/", "│   └── x.txt", "└── b/"]
        if first == "a/"
        else ["├── b/", "└── a/", "    └── x.txt"]
    )
    assert body == expected


def test_level_one_lists_and_counts_only_the_folders_own_entries(folder):
    lines = _lines(folder, level=1)
    assert lines[0] == "1 sub-directory & 1 files with suffixes '.csv'"
    assert sorted(line[4:] for line in lines[2:]) == ["a.csv", "sub/"]


def test_only_dirs_lists_folders_and_counts_no_file(folder):
    lines = _lines(folder, only_dirs=True)
    assert lines[0] == "2 sub-directories & 0 files"
    assert lines[2:] == ["└── sub/", "    └── deep/"]


def test_a_single_file_is_drawn_with_the_last_branch(tmp_path):
    (tmp_path / "x.csv").write_text("x")
    assert _lines(tmp_path)[2:] == ["└── x.csv"]


def test_past_the_limit_per_suffix_one_dots_line_stands_for_the_rest(tmp_path):
    for i in range(4):
        (tmp_path / f"f{i}.csv").write_text("x")
    lines = _lines(tmp_path, n_max_files_per_dir_and_type=2)
    assert lines[0] == "0 sub-directories & 4 files with suffixes '.csv'"
    assert lines[2:][1] == "..." and len(lines[2:]) == 2


def test_past_the_line_limit_the_tree_is_cut_and_says_so(tmp_path):
    for i in range(4):
        (tmp_path / f"f{i}.txt").write_text("x")
    lines = _lines(tmp_path, n_max_files=2)
    # as LaminDB: the files counted so far, the one that did not fit included
    assert lines[-1] == "... only showing 2 out of 3 files" and len(lines) == 5


def test_a_skipped_suffix_is_listed_but_not_walked(tmp_path):
    (tmp_path / "s.zarr" / "0").mkdir(parents=True)
    (tmp_path / "s.zarr" / "0" / "0").write_text("x")
    lines = _lines(tmp_path, skip_suffixes=[".zarr"], level=-1)
    assert lines[0] == "1 sub-directory & 0 files" and lines[2:] == ["└── s.zarr/"]


def test_include_paths_shows_only_those_and_their_folders(folder):
    lines = _lines(folder, level=-1, include_paths={folder / "sub" / "c.txt"})
    assert lines[0] == "1 sub-directory & 1 files with suffixes '.txt'"
    assert [line.strip("│├└─ ") for line in lines[2:]] == ["sub/", "c.txt"]


def test_a_file_is_refused_as_not_a_directory(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x")
    with pytest.raises(PathIsNotAFolder, match="pass its parent") as info:
        file_tree(path)
    assert isinstance(info.value, NotADirectoryError)


def test_a_missing_folder_is_refused_as_file_not_found(tmp_path):
    with pytest.raises(PathDoesNotExist) as info:
        file_tree(tmp_path / "nope")
    assert isinstance(info.value, FileNotFoundError)


def test_upath_prints_its_tree_with_two_levels_by_default(folder, capsys):
    upath_class()(folder).view_tree()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "2 sub-directories & 2 files with suffixes '.csv', '.txt'"


def test_ln_upath_and_the_storage_root_have_view_tree(ln):
    import upath

    assert ln.UPath is upath.UPath
    assert callable(ln.settings.storage.root.view_tree)
    assert callable(ln.UPath("memory://bucket/x").view_tree)


def test_a_folder_given_as_a_string_is_read_too(folder, capsys):
    upath_class().view_tree(str(folder), level=1)  # as LaminDB's key guide calls it
    assert capsys.readouterr().out.splitlines()[1] == str(folder.resolve())
