"""The numba decorators the package uses, and where their compiled code is cached.

``error_model="numpy"``: a division by zero gives inf or NaN, as in NumPy, instead of a
Python exception, which lets LLVM drop a branch at every division in the right-hand side.
Non-finite states are caught by the integrators, never clipped.
``cache=True``: compiled code is cached, so only the first run compiles.

:data:`jit` is for pure functions. :data:`inlined` is for the parts of the right-hand side
(the body's rates, the beliefs, each protocol's command rule, the heat plan): numba inlines
them into :func:`governor.model.evaluate` before compiling it, so splitting the right-hand
side into parts costs no call passing the packed inputs (about a hundred flattened
arguments) or a dozen scalars each time. They remain callable from Python.

The cache is kept in a folder named by a hash of the package's sources
(:func:`source_keyed_cache_dir`), under the user's cache folder. Numba's own cache checks
only the file that defines a function, while the compiled right-hand side also freezes
constants and functions of other files (the positions of the packed scalars, the
physiology): a changed parameter table with an unchanged ``solver.py`` would otherwise
load code that reads the wrong scalars. A ``NUMBA_CACHE_DIR`` set by the user is kept.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import numba
from numba import njit

#: Cache folders of other source versions unused for this long are removed [s].
STALE_CACHE_S = 30 * 24 * 3600.0


def source_keyed_cache_dir(package: Path | None = None, base: Path | None = None) -> Path | None:
    """The cache folder for the sources of ``package`` (default: this package): a folder of
    ``base`` (default ``$XDG_CACHE_HOME/governor/numba`` or ``~/.cache/governor/numba``)
    named by the SHA-256 of every ``.py`` file's path and content. Created if missing;
    folders of other sources unused for :data:`STALE_CACHE_S` are removed. None when it
    cannot be written (numba then caches beside the sources)."""
    package = Path(__file__).resolve().parent if package is None else Path(package)
    if base is None:
        try:
            root = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        except (RuntimeError, KeyError):  # no home directory (an arbitrary container UID)
            return None
        base = Path(root) / "governor" / "numba"
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    folder = Path(base) / digest.hexdigest()[:20]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
        if not os.access(folder, os.W_OK):
            return None
        for other in Path(base).iterdir():
            if other != folder and time.time() - other.stat().st_mtime > STALE_CACHE_S:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None
    return folder


if not numba.config.CACHE_DIR:
    _folder = source_keyed_cache_dir()
    if _folder is not None:
        numba.config.CACHE_DIR = str(_folder)

jit = njit(cache=True, error_model="numpy")
#: For a loop that runs long without Python objects (the integrator): it releases the GIL,
#: so threads can integrate at once (:func:`governor.fitting.fit._each`).
released = njit(cache=True, error_model="numpy", nogil=True)
inlined = njit(cache=True, error_model="numpy", inline="always")
