"""Test-wide settings.

Tests that need the real device files in ``../shared/data`` skip when it is absent. CI sets
``GOVERNOR_REQUIRE_SHARED_DATA=1`` (see ``.ci/run``) so that a missing folder fails the run
instead of silently skipping those tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("GOVERNOR_REQUIRE_SHARED_DATA") == "1" and not (
        SHARED_DATA / "logs" / "MANIFEST.csv"
    ).is_file():
        raise pytest.UsageError(
            f"GOVERNOR_REQUIRE_SHARED_DATA=1 but the shared test data is not at {SHARED_DATA}"
        )
