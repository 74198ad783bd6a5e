"""The compiled code's cache is keyed by the package's sources (``governor._jit``)."""

import os
import time

from governor._jit import STALE_CACHE_S, source_keyed_cache_dir


def _package(root, solver="x = 1\n", params="y = 2\n"):
    (root / "physiology").mkdir(parents=True, exist_ok=True)
    (root / "solver.py").write_text(solver)
    (root / "physiology" / "params.py").write_text(params)
    return root


def test_a_change_to_any_source_file_gives_another_cache_folder(tmp_path):
    base = tmp_path / "cache"
    a = source_keyed_cache_dir(_package(tmp_path / "a"), base)
    same = source_keyed_cache_dir(_package(tmp_path / "b"), base)
    # a change in a file other than the one that defines the compiled function
    other = source_keyed_cache_dir(_package(tmp_path / "c", params="y = 3\n"), base)
    assert a == same and a.is_dir()
    assert other != a and other.is_dir()


def test_folders_of_other_sources_unused_for_a_month_are_removed(tmp_path):
    base = tmp_path / "cache"
    old = source_keyed_cache_dir(_package(tmp_path / "a"), base)
    recent = source_keyed_cache_dir(_package(tmp_path / "b", solver="x = 5\n"), base)
    past = time.time() - STALE_CACHE_S - 60.0
    os.utime(old, (past, past))
    source_keyed_cache_dir(_package(tmp_path / "c", solver="x = 9\n"), base)
    assert not old.exists() and recent.exists()


def test_the_package_caches_in_its_source_keyed_folder():
    import numba

    import governor  # noqa: F401

    if os.environ.get("NUMBA_CACHE_DIR"):
        assert numba.config.CACHE_DIR == os.environ["NUMBA_CACHE_DIR"]
    else:
        assert numba.config.CACHE_DIR == str(source_keyed_cache_dir())


def test_no_home_directory_means_no_cache_folder_not_a_failed_import(monkeypatch):
    from pathlib import Path

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert source_keyed_cache_dir() is None
