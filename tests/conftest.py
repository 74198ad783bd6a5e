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
from hypothesis import settings

matplotlib.use("Agg")

# CI (.ci/run) runs the property tests with a fixed seed so that a landing never hangs on a
# lucky draw; locally they draw afresh each run and keep what they find in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("GOVERNOR_REQUIRE_SHARED_DATA") == "1" and not (
        SHARED_DATA / "logs" / "MANIFEST.csv"
    ).is_file():
        raise pytest.UsageError(
            f"GOVERNOR_REQUIRE_SHARED_DATA=1 but the shared test data is not at {SHARED_DATA}"
        )


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test leaves no matplotlib figure open behind it."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
