"""The documentation builds with warnings as errors, and its key pages say what they must.

The site is built once, as a user would build it (``python -m sphinx -W --keep-going -b html
docs OUT``): the notebooks are executed by myst-nb, the studies simulated, the API read from
the docstrings. Then a throwaway project with the same configuration checks that a broken
internal link fails the build.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD_TIMEOUT_S = 1800

for _module in ("sphinx", "myst_nb", "furo"):
    pytest.importorskip(_module, reason=f"the documentation needs {_module}: "
                                         'pip install -e ".[docs]"')


def _sphinx(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", *extra,
         str(source), str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)


def _text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"),
                 flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "html"
    run = _sphinx(DOCS, out)
    assert run.returncode == 0, (
        f"the documentation build failed (exit {run.returncode}):\n"
        f"{run.stderr[-6000:]}\n{run.stdout[-3000:]}")
    return out


def test_the_front_page_says_what_governor_is_and_links_every_section(site):
    text = _text(site / "index.html")
    assert "central governor" in text
    assert "In a runner’s words" in text and "In a scientist’s words" in text  # smartquotes
    for page in ("getting-started", "model", "targets", "studies", "fitting", "batch",
                 "race-day", "glossary", "notebooks", "api/index"):
        assert (site / f"{page}.html").is_file(), page
        assert f'href="{page}.html' in (site / "index.html").read_text(encoding="utf-8"), page


def test_the_model_page_has_its_equations_tables_and_plain_words(site):
    page = (site / "model.html").read_text(encoding="utf-8")
    assert 'class="math' in page                     # display equations, for MathJax
    assert r"CS_\mathrm{eff}" in page and r"\frac{dP}{dt}" in page
    text = _text(site / "model.html")
    assert "In plain words" in text
    assert "critical_speed_mps" in text and "distance_scale" in text   # the generated tables
    assert "Minetti" in text


def test_the_api_reference_documents_every_public_name(site):
    import governor as gv

    index = _text(site / "api" / "index.html")
    assert "governor.simulate" in index
    for name in gv.__all__:
        assert f"gv.{name}" in index, name
    simulation = (site / "api" / "simulation.html").read_text(encoding="utf-8")
    assert 'id="governor.simulate.simulate"' in simulation
    assert 'id="governor.params.Params"' in simulation
    for page, anchor in (("logs", "governor.io.read_log"), ("fitting", "governor.batch.fit_many"),
                         ("fitting", "governor.fitting.fit.fit"),
                         ("predict", "governor.predict.predict"),
                         ("perception", "governor.perception.cr10_to_borg20"),
                         ("units", "governor.units.format_pace"),
                         ("plot", "governor.plot.plot_study"),
                         ("studies", "governor.studies.reproduce_all")):
        assert f'id="{anchor}"' in (site / "api" / f"{page}.html").read_text(
            encoding="utf-8"), anchor


def test_the_studies_page_shows_every_target_with_its_simulated_figure(site):
    from governor import studies

    page = (site / "studies.html").read_text(encoding="utf-8")
    for target in studies.STUDIES:
        assert f'id="study-{target.lower()}"' in page, target
        assert f"{target}.png" in page, target
    assert "Must show" in _text(site / "studies.html")


def test_the_glossary_explains_the_runners_words(site):
    text = _text(site / "glossary.html")
    for term in ("critical speed", "D′", "reserve margin", "perceived exertion", "CR10",
                 "6–20", "hazard score", "pace", "min/km", "end spurt", "durability"):
        assert term in text, term


def test_the_notebooks_are_pages_with_their_outputs(site):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for nb in notebooks:
        page = site / "notebooks" / f"{nb.stem}.html"
        assert page.is_file(), nb.name
        assert 'class="cell_output' in page.read_text(encoding="utf-8"), nb.name
    assert "<img" in (site / "notebooks" / "06_race_day.html").read_text(encoding="utf-8")


# -- a broken link fails the build -----------------------------------------------------------
TINY_CONF = f"""
import runpy
globals().update({{k: v for k, v in runpy.run_path({str(DOCS / "conf.py")!r}).items()
                  if not k.startswith("__")}})
extensions = [e for e in extensions if e != "studies"]   # no simulations for this project
"""

LINKS = {
    "a page that exists": ("{doc}`other`", None),
    "a missing page by {doc}": ("{doc}`no-such-page`", "no-such-page"),
    "a missing page by a Markdown link": ("[there](no-such-page.md)", "no-such-page"),
    "a missing heading": ("[there](other.md#no-such-heading)", "no-such-heading"),
}


@pytest.mark.parametrize("case", list(LINKS))
def test_a_broken_internal_link_fails_the_build(case, tmp_path):
    link, broken = LINKS[case]
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(TINY_CONF, encoding="utf-8")
    (src / "index.md").write_text(f"# Home\n\nSee {link}.\n\n```{{toctree}}\nother\n```\n",
                                  encoding="utf-8")
    (src / "other.md").write_text("# Other\n\n## A heading\n\nText.\n", encoding="utf-8")
    run = _sphinx(src, tmp_path / "html")
    if broken is None:
        assert run.returncode == 0, run.stderr
    else:
        assert run.returncode != 0, f"{case}: the build passed"
        assert broken in run.stderr, run.stderr
