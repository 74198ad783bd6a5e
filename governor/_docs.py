"""Tables of the documentation generated from the code, so the two cannot drift.

``docs/model.md`` holds the parameter table (from :class:`governor.Params`' field
metadata) and the feedback-channel table (from :data:`governor.scenario.CHANNELS`) between
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` markers. Rewrite them with::

    python -m governor._docs docs/model.md

The tests check that the committed file equals what this writes.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from governor.params import TRAINED
from governor.scenario import CHANNELS


def _number(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:g}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def parameter_table() -> str:
    """Every parameter: name, unit, default (TRAINED), bounds, meaning, identifiability,
    source, as a Markdown table."""
    rows = ["| parameter | unit | default | bounds | meaning | identifiability | source |",
            "|---|---|---|---|---|---|---|"]
    for name, r in TRAINED.table().iterrows():
        rows.append(f"| `{name}` | {_cell(r['unit'])} | {_number(r['default'])} | "
                    f"{_number(r['lower'])} – {_number(r['upper'])} | {_cell(r['meaning'])} | "
                    f"{r['identifiability']} | {_cell(r['source'])} |")
    return "\n".join(rows)


def channel_table() -> str:
    """Every feedback channel: field, unit, truth, bounds, protocols, changeable, flag,
    as a Markdown table."""
    rows = ["| `Feedback` field | unit | truth | bounds | applies to | may change mid-effort "
            "| `governor simulate` |",
            "|---|---|---|---|---|---|---|"]
    for c in CHANNELS:
        bounds = "" if c.form == "flag" else f"{_number(c.low)} – {_number(c.high)}"
        if c.form == "positions":
            bounds += " (each)"
        rows.append(f"| `{c.name}` | {c.unit} | {c.truth!r} | {bounds} | "
                    f"{', '.join(c.protocols) or 'every protocol'} | "
                    f"{'yes' if c.changeable else 'no'} | "
                    f"{f'`{c.flag}`' if c.flag else ''} |")
    return "\n".join(rows)


TABLES = {"parameters": parameter_table, "channels": channel_table}


def regenerate(text: str) -> str:
    """``text`` with every generated table rewritten from the code."""
    for name, make in TABLES.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)",
                             re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"no '<!-- generated: {name} -->' ... '<!-- end: {name} -->' block")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m governor._docs docs/model.md", file=sys.stderr)
        return 2
    path = Path(args[0])
    path.write_text(regenerate(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
