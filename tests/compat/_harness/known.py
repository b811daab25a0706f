"""``known_differences.toml``: scenarios whose lamindb and lamin_lab observations differ on purpose.

Each table is keyed by ``"<module>::<name>"`` and needs a non-empty ``reason`` that starts
with ``gap:`` (to be fixed) or ``deliberate:`` (kept, with why)::

    ["records::ulabel_same_name"]
    reason = "gap: lamin_lab saves a second label instead of returning the existing one"

Examples
--------
>>> entries = load_known()
>>> all(e["reason"] for e in entries.values())
True
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

KNOWN = Path(__file__).resolve().parents[1] / "known_differences.toml"


class KnownDifferencesError(ValueError):
    """The known-differences file is malformed."""


def _key(raw: str) -> str:
    stem, _, name = raw.partition("::")
    return f"{stem}::{name.removeprefix('scenario_')}"


def load_known(path: Path = KNOWN) -> dict[str, dict[str, Any]]:
    """``{id: entry}``; raises :class:`KnownDifferencesError` on a missing or empty reason."""
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    entries = {}
    for raw, entry in data.items():
        if "::" not in raw or not isinstance(entry, dict):
            raise KnownDifferencesError(
                f"{path.name}: [{raw!r}] must be a table keyed 'module::scenario'"
            )
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise KnownDifferencesError(f"{path.name}: [{raw!r}] needs a non-empty reason")
        entries[_key(raw)] = entry
    return entries


def verdict(
    sid: str, expected: Any, actual: Any, known: dict[str, dict[str, Any]]
) -> tuple[str, str]:
    """``("pass" | "fail" | "xfail", message)`` for one scenario's two observations.

    Examples
    --------
    >>> verdict("m::a", 1, 1, {})
    ('pass', '')
    >>> verdict("m::a", 1, 1, {"m::a": {"reason": "gap: x"}})[0]
    'fail'
    """
    for side, obs in (("lamindb", expected), ("lamin_lab", actual)):
        if isinstance(obs, dict) and "harness" in obs:
            return "fail", f"the harness could not observe {sid} on {side}: {obs}"
    entry = known.get(sid)
    if same(expected, actual):
        if entry is not None:
            return "fail", (
                f"{sid} is listed in known_differences.toml ({entry['reason']!r}) but both "
                "backends now observe the same: remove the entry"
            )
        return "pass", ""
    if entry is not None:
        return "xfail", entry["reason"]
    return "fail", diff_message(sid, expected, actual)


def same(expected: Any, actual: Any) -> bool:
    """Whether lamin_lab's observation ``actual`` matches lamindb's ``expected``.

    Equal values match. So does an exception where lamindb raises a class that lamin_lab's
    error also is: the project's rule is that only ``LaminLabError`` subclasses escape, and
    each subclasses the builtin lamindb raises (``InvalidArgument`` is a ``ValueError``), so
    a user's ``except ValueError`` catches both.

    Examples
    --------
    >>> same({"raises": "ValueError"}, {"raises": "InvalidArgument", "is_a": ["LaminLabError", "ValueError"]})
    True
    >>> same({"raises": "TypeError"}, {"raises": "InvalidArgument", "is_a": ["LaminLabError", "ValueError"]})
    False
    >>> same([1, {"raises": "KeyError"}], [1, {"raises": "KeyError", "is_a": ["LaminLabError", "KeyError"]}])
    True
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        if set(expected) == {"raises"} and set(actual) == {"raises", "is_a"}:
            name = expected["raises"]
            return name == actual["raises"] or (
                "LaminLabError" in actual["is_a"] and name in actual["is_a"]
            )
        return expected.keys() == actual.keys() and all(
            same(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(same, expected, actual))
    return expected == actual


def diff_message(sid: str, expected: Any, actual: Any) -> str:
    """Both observations, pretty-printed, and a unified diff of them."""
    import difflib
    import json

    a = json.dumps(expected, indent=1, sort_keys=True, default=str).splitlines()
    b = json.dumps(actual, indent=1, sort_keys=True, default=str).splitlines()
    diff = "\n".join(difflib.unified_diff(a, b, "lamindb", "lamin_lab", lineterm="", n=2))
    return (
        f"{sid}: lamin_lab differs from lamindb 2.12.1\n--- diff (- lamindb, + lamin_lab)\n{diff}\n"
        f"--- lamindb\n{chr(10).join(a)}\n--- lamin_lab\n{chr(10).join(b)}\n"
        "Fix lamin_lab, or list the scenario in tests/compat/known_differences.toml with a reason."
    )
