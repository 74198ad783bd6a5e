"""Sphinx extension: simulate every published target and write its figure.

At the start of each build :func:`governor.studies.reproduce_all` runs every target of
``docs/targets.md`` with its default runner; :func:`governor.plot.plot_study` draws each
one. The figures (``T1.png`` ...) and a MyST fragment laying out each target (protocol,
published, must show, simulated, verdict, figure) are written to
``docs/_generated/studies/``, which is git-ignored and not a page itself: ``studies.md``
includes the fragment. A file is rewritten only when its content changes, so an unchanged
result does not make Sphinx rebuild the page.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Characters that MyST would read as markup in the studies' plain-text fields.
_MARKUP = re.compile(r"([\\`*_\[\]<>$|#])")


def _text(value: str) -> str:
    return _MARKUP.sub(r"\\\1", str(value))


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def _figure_png(result) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from governor.plot import plot_study

    axes = np.asarray(plot_study(result), dtype=object).ravel()
    fig = axes[0].figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight",
                metadata={"Software": None})
    plt.close("all")
    return buf.getvalue()


def _figure(result) -> str:
    return (f"```{{figure}} /_generated/studies/{result.id}.png\n"
            f":alt: {result.id}: {_text(result.study)}, simulated\n"
            f":width: 100%\n\n"
            f"{result.id}, simulated: {_text(result.study)}.\n```\n")


def _section(result, level: str = "##", figure: bool = False) -> str:
    verdict = "**pass**" if result.passed else "**fail**"
    lines = [f"(study-{result.id.lower()})=", f"{level} {result.id}: {_text(result.study)}", "",
             f"*{_text(result.citation)}*", ""]
    for term, value in (("Protocol as simulated", _text(result.protocol)),
                        ("Published", _text(result.published)),
                        ("Must show", _text(result.tolerance)),
                        ("Simulated", _text(result.simulated)),
                        ("Verdict", verdict)):
        lines += [term, f": {value}", ""]
    lines += [f"- {'✓' if ok else '✗'} {_text(criterion)}" for criterion, ok in
              result.checks.items()]
    lines.append("")
    if figure:
        lines.append(_figure(result))
    for part in result.parts:
        lines.append(_section(part, level + "#"))
    return "\n".join(lines)


def generate(app) -> None:
    """Simulate the targets and write the figures and the fragment (``builder-inited``)."""
    from governor import studies

    out = Path(app.srcdir) / "_generated" / "studies"
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results = studies.reproduce_all()
    simulated = time.perf_counter()
    sections = []
    for result in results:
        _write_if_changed(out / f"{result.id}.png", _figure_png(result))
        sections.append(_section(result, figure=True))
    passed = sum(r.passed for r in results)
    head = (f"{passed} of {len(results)} targets pass with the default runners of "
            f"governor {app.config.release}.\n")
    _write_if_changed(out / "results.md", (head + "\n" + "\n".join(sections)).encode())
    logger.info("studies: %d targets simulated in %.1f s, drawn in %.1f s", len(results),
                simulated - start, time.perf_counter() - simulated)


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
