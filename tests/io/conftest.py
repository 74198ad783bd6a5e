"""Shared fixtures for the io tests: the real device files in ../shared/data/logs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_LOGS = REPO.parent / "shared" / "data" / "logs"
MANIFEST = SHARED_LOGS / "MANIFEST.csv"


def manifest_rows() -> list[dict]:
    """Rows of MANIFEST.csv, or [] when the shared data are absent."""
    if not MANIFEST.is_file():
        return []
    with open(MANIFEST, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The shared log folder; skips the test when it is absent."""
    if not MANIFEST.is_file():
        pytest.skip(f"shared test data not found at {SHARED_LOGS} (../shared/data from repo root)")
    return SHARED_LOGS
