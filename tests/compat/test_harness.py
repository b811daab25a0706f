"""The differential harness itself: normaliser, fresh instance per scenario, crash and
hang recovery, verdicts on known differences."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.compat._harness import supervise
from tests.compat._harness.known import KnownDifferencesError, load_known, same, verdict
from tests.compat._harness.normalise import Normaliser, raised
from tests.compat.conftest import lamindb_or_fail


# ------------------------------------------------------------------ normaliser
def test_uids_of_lamindb_lengths_become_placeholders():
    n = Normaliser()
    assert n.value(["aB3dE5gH9kL1", "aB3dE5gH9kL1mN0p", "aB3dE5gH9kL1mN0p0000"]) == [
        "<uid12>",
        "<uid16>",
        "<uid20>",
    ]


def test_words_without_digits_are_not_uids():
    assert Normaliser().value("abcdefghijkl") == "abcdefghijkl"


def test_uids_inside_text_are_replaced():
    assert Normaliser().text("Artifact(uid='aB3dE5gH9kL1mN0p0000')") == "Artifact(uid='<uid20>')"


def test_paths_under_known_roots_become_placeholders():
    n = Normaliser({"/w/data": "<storage>", "/w": "<work>"})
    assert n.value("/w/data/x.csv and /w/y") == "<storage>/x.csv and <work>/y"


def test_timestamps_become_placeholders():
    import datetime as dt

    n = Normaliser()
    assert n.value([dt.datetime(2024, 1, 2, 3, 4), "2024-01-02 03:04:05.123+00:00"]) == [
        "<datetime>",
        "<datetime>",
    ]


def test_dates_stay_values():
    import datetime as dt

    assert Normaliser().value(dt.date(2024, 1, 2)) == "2024-01-02"


def test_dataframe_gives_columns_index_dtypes_values():
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2], "b": ["x", None]}, index=pd.Index(["r1", "r2"], name="id"))
    assert Normaliser().value(df) == {
        "columns": ["a", "b"],
        "index_name": "id",
        "index": ["r1", "r2"],
        "dtypes": {"a": "int64", "b": "object"},
        "values": [[1, "x"], [2, None]],
    }


def test_non_json_values_give_type_and_repr():
    class Thing:
        def __repr__(self):
            return "Thing(aB3dE5gH9kL1)"

    assert Normaliser().value(Thing()) == {"type": "Thing", "repr": "Thing(<uid12>)"}


def test_numpy_and_nan_become_plain_json():
    import numpy as np

    assert Normaliser().value([np.int64(3), np.array([1.5]), float("nan")]) == [3, [1.5], "NaN"]


# ------------------------------------------------------------------ verdicts
def test_equal_observations_pass():
    assert verdict("m::a", {"n": 1}, {"n": 1}, {}) == ("pass", "")


def test_different_observations_fail_with_both_shown():
    outcome, message = verdict("m::a", {"n": 1}, {"n": 2}, {})
    assert outcome == "fail" and '"n": 1' in message and '"n": 2' in message


def test_listed_difference_is_xfail_with_reason():
    assert verdict("m::a", 1, 2, {"m::a": {"reason": "gap: x"}}) == ("xfail", "gap: x")


def test_listed_but_equal_is_a_stale_entry():
    outcome, message = verdict("m::a", 1, 1, {"m::a": {"reason": "gap: x"}})
    assert outcome == "fail" and "remove the entry" in message


def test_harness_failure_on_both_sides_still_fails():
    obs = {"harness": "timeout after 1 s"}
    assert verdict("m::a", obs, obs, {})[0] == "fail"


def test_lamin_lab_error_matches_the_builtin_it_subclasses():
    class InvalidArgument(ValueError):
        pass

    InvalidArgument.__module__ = "lamin_lab.errors"  # observed as one of lamin_lab's own
    assert raised(InvalidArgument("x")) == {"raises": "InvalidArgument", "is_a": ["ValueError"]}
    obs = {"raises": "InvalidArgument", "is_a": ["LaminLabError", "ValueError"]}
    assert verdict("m::a", {"raises": "ValueError"}, obs, {}) == ("pass", "")


def test_lamin_lab_error_does_not_match_an_unrelated_builtin():
    obs = {"raises": "InvalidArgument", "is_a": ["LaminLabError", "ValueError"]}
    assert verdict("m::a", {"raises": "TypeError"}, obs, {})[0] == "fail"


def test_foreign_error_of_the_same_base_does_not_match():
    # Only lamin_lab's own errors carry "is_a": a KeyError is not a ValueError's match.
    assert raised(KeyError("x")) == {"raises": "KeyError"}
    assert not same({"raises": "ValueError"}, {"raises": "KeyError"})


def test_every_scenario_function_in_a_module_is_discovered():
    # discover() reads the files without running them; a scenario made in a loop or by
    # assignment would never run. Importing the modules (they import no backend) finds those.
    import importlib.util

    ids = set(supervise.discover())
    missed = []
    for path in sorted(supervise.SCENARIOS.glob("[!_]*.py")):
        spec = importlib.util.spec_from_file_location(f"_scn_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        missed += [
            f"{path.stem}::{name[len('scenario_') :]}"
            for name in vars(module)
            if name.startswith("scenario_")
            and callable(getattr(module, name))
            and f"{path.stem}::{name[len('scenario_') :]}" not in ids
        ]
    assert missed == [], f"scenarios the harness would not run (define each with `def`): {missed}"


def test_entry_without_reason_is_rejected(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text('["m::a"]\nreason = ""\n')
    with pytest.raises(KnownDifferencesError):
        load_known(path)


def test_entry_keys_accept_the_function_name(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text('["m::scenario_a"]\nreason = "gap: x"\n')
    assert list(load_known(path)) == ["m::a"]


# ------------------------------------------------------------------ runner
SCENARIOS = """
import os, time

def scenario_a_save(ln, ctx):
    (ctx.tmp / "f.txt").write_text("x")
    ln.ULabel(name="leak").save()
    return ln.ULabel.filter().count()

def scenario_b_count(ln, ctx):
    return {"ulabels": ln.ULabel.filter().count(), "tmp_empty": list(ctx.tmp.iterdir()) == []}

def scenario_c_raises(ln, ctx):
    raise KeyError("x")

def scenario_d_crash(ln, ctx):
    os._exit(3)

def scenario_e_hang(ln, ctx):
    time.sleep(30)

def scenario_f_after(ln, ctx):
    return ln.ULabel.filter().count()
"""


@pytest.fixture
def scenario_dir(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "demo.py").write_text(textwrap.dedent(SCENARIOS))
    return folder


def test_discover_finds_every_scenario_in_file_order(scenario_dir):
    assert supervise.discover(scenario_dir) == [
        "demo::a_save",
        "demo::b_count",
        "demo::c_raises",
        "demo::d_crash",
        "demo::e_hang",
        "demo::f_after",
    ]


def test_lamin_lab_runner_fresh_instance_errors_crash_and_hang(scenario_dir, tmp_path):
    ids = supervise.discover(scenario_dir)
    result = supervise.run_backend(
        "lamin_lab", sys.executable, ids, tmp_path / "w", timeout=1, scenarios=scenario_dir
    )
    assert result["obs"] == {
        "demo::a_save": 1,
        "demo::b_count": {"ulabels": 0, "tmp_empty": True},
        "demo::c_raises": {"raises": "KeyError"},
        "demo::d_crash": {"harness": "scenario crashed the process (exit 3)"},
        "demo::e_hang": {"harness": "timeout after 1 s"},
        "demo::f_after": 0,
    }
    assert result["restarts"] == 1


def test_hang_that_blocks_the_alarm_is_killed_and_the_rest_still_run(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "stuck.py").write_text(
        textwrap.dedent("""
        import signal, time

        def scenario_a_blocks_alarm(ln, ctx):
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(60)

        def scenario_b_after(ln, ctx):
            return ln.ULabel.filter().count()
    """)
    )
    ids = supervise.discover(folder)
    result = supervise.run_backend(
        "lamin_lab", sys.executable, ids, tmp_path / "w", timeout=0.5, grace=1, scenarios=folder
    )
    assert result["obs"] == {
        "stuck::a_blocks_alarm": {"harness": "scenario hung (killed)"},
        "stuck::b_after": 0,
    }


def test_lamindb_runner_gives_a_fresh_instance_per_scenario(scenario_dir, tmp_path):
    python = lamindb_or_fail()
    ids = ["demo::a_save", "demo::b_count"]
    result = supervise.run_backend("lamindb", python, ids, tmp_path / "w", scenarios=scenario_dir)
    assert result["obs"] == {"demo::a_save": 1, "demo::b_count": {"ulabels": 0, "tmp_empty": True}}
