"""lamin_lab._services: how the registries reach the layers above them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lamin_lab._services import SERVICES, service
from lamin_lab.errors import InvalidArgument


def test_a_service_is_the_function_its_entry_names():
    import lamin_lab.curation as curation

    assert SERVICES["validate_for_artifact"] == "lamin_lab.curation:validate_for_artifact"
    assert service("validate_for_artifact") is curation.validate_for_artifact


def test_a_replaced_function_is_heard_on_the_next_call(monkeypatch):
    import lamin_lab.curation as curation

    monkeypatch.setattr(curation, "annotate", len)
    assert service("annotate") is len


def test_an_unknown_service_names_the_known_ones():
    with pytest.raises(InvalidArgument, match=r"No service 'describ'.*describe, describe_html"):
        service("describ")


def test_a_service_module_is_imported_on_first_call_only():
    code = (
        "import sys, lamin_lab; from lamin_lab._services import service;"
        "before = 'lamin_lab.describe.registries' in sys.modules;"
        "service('describe_registry');"
        "print(before, 'lamin_lab.describe.registries' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
