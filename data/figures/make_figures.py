"""Regenerate the figures in data/figures from the model.

    python data/figures/make_figures.py

``false_feedback.png``: four published false-feedback studies (Castle 2012, Stone 2012,
Joseph 2008, Mauger 2009) simulated by :mod:`governor.studies` and drawn by
:func:`governor.plot.plot_false_feedback`, the summary figure of
``notebooks/03_false_feedback.ipynb``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from governor import plot, studies  # noqa: E402

OUT = Path(__file__).resolve().parent


def main(out: Path = OUT) -> list[Path]:
    results = [studies.castle_2012(), studies.stone_2012(), studies.joseph_2008(),
               studies.mauger_2009()]
    fig = plot.plot_false_feedback(results)[0].figure
    path = out / "false_feedback.png"
    fig.savefig(path, dpi=110, metadata={"Software": None})
    return [path]


if __name__ == "__main__":
    for p in main():
        print(p.relative_to(OUT.parent.parent))
