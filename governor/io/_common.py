"""Pieces shared by the readers: the raw-log container, safe XML, sport names, numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from .errors import CorruptFileError, EmptyFileError, UnsafeContentError

SEMICIRCLE_TO_DEGREES = 180.0 / 2**31


@dataclass
class RawLog:
    """What a format reader hands to :func:`read_log`: SI columns plus metadata.

    ``frame`` is indexed by UTC timestamp (NaT where a point had no time) and holds any of
    the canonical columns. ``cadence_unit`` says what the cadence numbers count:
    ``"cycles"`` (strides or crank revolutions per minute, the FIT/TCX/GPX convention),
    ``"steps"``, or None when unknown.
    """

    frame: pd.DataFrame
    format: str
    device: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    laps: list[dict] = field(default_factory=list)
    timezone: str | None = None
    pauses: list[tuple[pd.Timestamp, pd.Timestamp]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    partial: bool = False
    cadence_unit: str | None = "cycles"
    n_points: int = 0


_PROLOG_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_XML_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?[ \t\r\n]+(?=<\?xml)")
_PREFIX_USE = re.compile(
    rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_PREFIX_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_START = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _strict_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def _root_name_end(body: bytes) -> int:
    """Where the root element's name ends: past the prolog's declaration, processing
    instructions and comments (which may themselves hold ``<name``); 0 if none."""
    pos = 0
    while True:
        start = body.find(b"<", pos)
        if start < 0:
            return 0
        if body.startswith(b"<!--", start):
            close = body.find(b"-->", start + 4)
            pos = len(body) if close < 0 else close + 3
        elif body.startswith(b"<?", start) or body.startswith(b"<!", start):
            close = body.find(b">", start + 2)
            pos = len(body) if close < 0 else close + 1
        else:
            m = _ROOT_START.match(body, start)
            return m.end() if m else 0


def _declare_prefixes(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with a namespace declaration added to the root element for every prefix
    the document uses but never declares (as files of some exporters do); and those
    prefixes."""
    used = {m.group(1) or m.group(2) for m in _PREFIX_USE.finditer(data)}
    missing = sorted(p.decode() for p in used - set(_PREFIX_DECLARED.findall(data))
                     - {b"xml", b"xmlns"})
    if not missing:
        return data, []
    body = _XML_DECLARATION.sub(b"", data)
    prolog_end = _root_name_end(body)
    declarations = b"".join(b' xmlns:%s="urn:governor:undeclared:%s"' % (p.encode(), p.encode())
                            for p in missing)
    return body[:prolog_end] + declarations + body[prolog_end:], missing


def parse_xml(path: Path, data: bytes, notes: list[str] | None = None) -> etree._Element:
    """Parse XML safely: no DTD, no entity expansion, no network; return the root.

    Any DOCTYPE or ENTITY declaration is refused outright (GPX and TCX never need one),
    which stops "billion laughs" and external-entity payloads before parsing starts.

    Two slips that other readers forgive are repaired, each said in ``notes``: whitespace
    before the XML declaration (removed), and namespace prefixes used without a
    declaration (declared on the root element, so their elements keep their local names).
    """
    root_start = re.search(rb"<[A-Za-z_]", data)
    prolog = data[: root_start.start()] if root_start else data
    if _PROLOG_FORBIDDEN.search(prolog) or _PROLOG_FORBIDDEN.search(data[:65536]):
        raise UnsafeContentError(
            path, "XML declares a DTD or entities; refused for safety (GPX/TCX need none)"
        )
    notes = [] if notes is None else notes
    if _XML_DECLARATION.match(data):
        data = _XML_DECLARATION.sub(lambda m: m.group(1) or b"", data, count=1)
        notes.append("whitespace before the XML declaration removed")
    try:
        root = etree.fromstring(data, _strict_parser())
    except etree.XMLSyntaxError as exc:
        msg = str(exc) or "syntax error"
        repaired, missing = _declare_prefixes(data) if "Namespace prefix" in msg else (data, [])
        if not missing:
            raise CorruptFileError(path, f"malformed XML: {msg}") from None
        try:
            root = etree.fromstring(repaired, _strict_parser())
        except etree.XMLSyntaxError as again:
            raise CorruptFileError(path, f"malformed XML: {str(again) or msg}") from None
        notes.append(f"namespace prefix{'es' if len(missing) > 1 else ''} "
                     f"{', '.join(missing)} used without a declaration: declared, so the "
                     "file could be read")
    except (ValueError, etree.LxmlError) as exc:
        raise CorruptFileError(path, f"unreadable XML: {exc}") from None
    if root is None:
        raise EmptyFileError(path, "XML document has no root element")
    return root


def localname(tag) -> str:
    """The tag without its namespace (``'{ns}trkpt'`` -> ``'trkpt'``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def to_float(text: str | None) -> float:
    """``float(text)`` or NaN."""
    if text is None:
        return np.nan
    try:
        v = float(text)
    except ValueError:
        return np.nan
    return v if np.isfinite(v) else np.nan


def parse_times(strings: list[str | None]) -> pd.DatetimeIndex:
    """ISO 8601 strings to a UTC DatetimeIndex (NaT for missing or unparsable).

    Naive times are taken as UTC (GPX and TCX times are UTC by specification).
    """
    s = pd.Series(strings, dtype=object)
    out = pd.to_datetime(s, utc=True, errors="coerce", format="ISO8601")
    if out.isna().any() and s.notna().any():
        bad = out.isna() & s.notna()
        if bad.any():
            retry = pd.to_datetime(s[bad], utc=True, errors="coerce", format="mixed")
            out[bad] = retry
    idx = pd.DatetimeIndex(out).as_unit("ns")
    return idx.rename("timestamp")


_SPORTS = {
    "running": "running",
    "run": "running",
    "trail_running": "running",
    "trailrunning": "running",
    "treadmill_running": "running",
    "9": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "road_biking": "cycling",
    "mountain_biking": "cycling",
    "1": "cycling",
    "walking": "walking",
    "walk": "walking",
    "10": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "4": "hiking",
    "swimming": "swimming",
    "swim": "swimming",
}


def normalise_sport(name) -> str | None:
    """A sport name from any format mapped to our vocabulary (None if absent/generic)."""
    if name is None:
        return None
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    if key in ("", "other", "generic", "unknown", "none", "all"):
        return None
    return _SPORTS.get(key, key)
