"""Every scenario under tests/compat/scenarios/, observed on lamindb 2.12.1 and on lamin_lab.

A scenario passes when both observations are equal. One listed in known_differences.toml
is expected to differ (xfail with its reason); listed but equal fails as a stale entry.
"""

from __future__ import annotations

import pytest

from tests.compat._harness.known import load_known, verdict
from tests.compat._harness.supervise import discover

SCENARIO_IDS = discover()


@pytest.mark.parametrize("sid", SCENARIO_IDS, ids=SCENARIO_IDS)
def test_scenario(sid, compat_results):
    expected = compat_results["lamindb"]["obs"].get(sid, {"harness": "not run"})
    actual = compat_results["lamin_lab"]["obs"].get(sid, {"harness": "not run"})
    outcome, message = verdict(sid, expected, actual, load_known())
    if outcome == "xfail":
        pytest.xfail(message)
    if outcome == "fail":
        pytest.fail(message, pytrace=False)


def test_known_differences_name_existing_scenarios():
    unknown = sorted(set(load_known()) - set(SCENARIO_IDS))
    assert unknown == [], f"known_differences.toml lists scenarios that do not exist: {unknown}"


def test_known_differences_reasons_say_gap_or_deliberate():
    bad = {
        sid: e["reason"]
        for sid, e in load_known().items()
        if not e["reason"].startswith(("gap:", "deliberate:"))
    }
    assert bad == {}, "each reason starts with 'gap:' or 'deliberate:'"
