"""Every notebook runs top to bottom, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
#: A cell that runs longer than this has stalled (the slowest, a batch fit, takes about a
#: minute; the first simulation of a new install compiles the model, about 10-60 s).
CELL_TIMEOUT_S = 300
#: A kernel that has not answered within this has not started.
KERNEL_START_TIMEOUT_S = 120

nbformat = pytest.importorskip("nbformat")


def _ids(paths):
    return [p.name for p in paths]


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: clear the outputs of code cells {dirty} before committing"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the kernel inherits this environment: no display needed, and figures never block
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        startup_timeout=KERNEL_START_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
    )
    try:
        client.execute(cwd=str(path.parent))
    except nbclient.exceptions.CellTimeoutError as exc:  # its text shows the cell
        pytest.fail(f"{path.name}: a cell ran over {CELL_TIMEOUT_S} s (the kernel stalled, "
                    f"or the cell is far slower than it should be):\n{exc}", pytrace=False)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}")
    except RuntimeError as exc:  # the kernel did not start or died
        pytest.fail(f"{path.name}: the kernel failed ({exc}); kernels start within "
                    f"{KERNEL_START_TIMEOUT_S} s on a healthy machine", pytrace=False)
    errors = [
        out for cell in nb.cells if cell.cell_type == "code"
        for out in cell.outputs if out.output_type == "error"
    ]
    assert not errors
