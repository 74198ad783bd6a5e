"""Sphinx configuration of the governor documentation.

Build it from the repository root (``pip install -e ".[docs]"`` first)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Warnings are errors, so a broken internal link, a docstring Sphinx cannot read or a
notebook cell that raises fails the build (``tests/test_docs.py`` runs it). The pages are
Markdown read with MyST; the notebooks (``docs/notebooks`` links to ``notebooks/``) are
executed by myst-nb at build time; the API pages come from the numpydoc docstrings; the
figures of the studies are simulated at build time by ``_ext/studies.py`` into
``docs/_generated`` (git-ignored).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))           # the package of this checkout, installed or not
sys.path.insert(0, str(DOCS / "_ext"))  # the studies extension

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # this process draws the studies' figures to files
# The notebooks' kernels inherit this environment: their figures inline, as in Jupyter,
# whatever MPLBACKEND the build was started with (CI sets Agg).
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

import governor  # noqa: E402

project = "governor"
author = "governor developers"
copyright = "governor developers"  # noqa: A001
release = version = governor.__version__

extensions = [
    "myst_nb",               # Markdown pages (MyST) and executed notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",   # numpydoc-style docstrings
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "studies",               # docs/_ext/studies.py: the studies' figures, simulated
]

# Only pages are sources: not the build, the generated fragments (included by pages),
# the extension, nor notebook checkpoints.
exclude_patterns = ["_build", "_generated", "_ext", "**/.ipynb_checkpoints",
                    "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []
root_doc = "index"

# -- warnings: everything that would mislead a reader fails the build ------------------
# A {doc} or [text](page.md) link to a missing page, an unknown #anchor, an image not found
# and a cross-reference to an undefined label are warnings, and -W makes them errors.
# References to Python objects outside the package (numpy, pandas) are not checked.
nitpicky = False

# -- MyST ------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3        # [text](#a-heading) and [text](page.md#a-heading) work
myst_dmath_double_inline = True

# -- notebooks (myst-nb) ---------------------------------------------------------------
nb_execution_mode = "force"         # the notebooks are committed without outputs
nb_execution_timeout = 600          # seconds per cell, as tests/test_notebooks.py
nb_execution_raise_on_error = True  # a cell that raises fails the build
nb_execution_show_tb = True         # ... with its traceback in the log
nb_execution_in_temp = False        # run in notebooks/, where their relative paths point
nb_merge_streams = True

# -- API (autodoc, autosummary, napoleon) ----------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autosummary_generate = False        # the API pages are written by hand; tables link to them
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True
napoleon_preprocess_types = False
python_maximum_signature_line_length = 88
add_module_names = True

# -- HTML ------------------------------------------------------------------------------
# furo: a clean single-column reading layout for long narrative pages with wide tables,
# light to install, with dark mode and a searchable sidebar built in.
html_theme = "furo"
html_title = f"governor {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
