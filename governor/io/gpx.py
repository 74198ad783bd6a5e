"""GPX 1.0 and 1.1 reader (all tracks and all segments).

Heart rate, cadence, temperature, power and speed are read from the Garmin
TrackPointExtension (v1 and v2) and the common alternatives (Strava ``<power>``, Cluetrust
``gpxdata:hr``, ``PowerInWatts``); extension element names are matched without namespace.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._common import RawLog, localname, normalise_sport, parse_times, parse_xml
from .errors import CorruptFileError, NoTrackDataError

#: GPX element (local name, inside ``<trkpt>`` or its ``<extensions>``) -> SI column.
#: GPX units are already SI: degrees, metres, seconds, bpm, °C, W, m/s.
VARIABLE_MAP: dict[str, str] = {
    "ele": "elevation_m",
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "cad": "cadence_spm",
    "cadence": "cadence_spm",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "temperature": "temperature_c",
    "wtemp": "temperature_c",
    "power": "power_w",
    "powerinwatts": "power_w",
    "watts": "power_w",
    "speed": "speed_mps",
    "distance": "distance_m",
}

_FIELDS = tuple(dict.fromkeys(VARIABLE_MAP.values()))


def _to_array(texts: list[str | None]) -> np.ndarray:
    """Strings (or None) to floats, NaN where missing or unreadable."""
    out = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
    return out.to_numpy(dtype=float, na_value=np.nan)


def _numbers(values: dict[int, str], n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    if values:
        out[np.fromiter(values.keys(), dtype=np.int64, count=len(values))] = _to_array(
            list(values.values())
        )
    return out


def read_gpx(path: Path, data: bytes) -> RawLog:
    """Read GPX content ``data`` (from ``path``) into a :class:`RawLog`."""
    notes: list[str] = []
    root = parse_xml(path, data, notes)
    if localname(root.tag) != "gpx":
        raise CorruptFileError(path, f"root element is <{localname(root.tag)}>, not <gpx>")
    ns = root.tag[: -len("gpx")]  # '{http://www.topografix.com/GPX/1/1}' or ''
    lat: list[str | None] = []
    lon: list[str | None] = []
    times: list[str | None] = []
    found: dict[str, dict[int, str]] = {c: {} for c in _FIELDS}
    tag_column: dict[object, str | None] = {}  # full tag -> column ("time"), cached
    sport = None
    i = 0
    for trk in root.iter(ns + "trk"):
        for child in trk:
            if localname(child.tag) == "type" and sport is None and child.text:
                sport = child.text.strip()
        for pt in trk.iter(ns + "trkpt"):
            lat.append(pt.get("lat"))
            lon.append(pt.get("lon"))
            times.append(None)
            for el in pt.iterdescendants():
                tag = el.tag
                col = tag_column.get(tag, 0)
                if col == 0:
                    name = localname(tag).lower()
                    col = "time" if name == "time" else VARIABLE_MAP.get(name)
                    tag_column[tag] = col
                if col is None:
                    continue
                text = el.text
                if not text:
                    continue
                if col == "time":
                    times[i] = text
                else:
                    found[col].setdefault(i, text)
            i += 1
    cols = {c: _numbers(values, i) for c, values in found.items()}
    n = len(times)
    if n == 0:
        n_rte = sum(1 for _ in root.iter(ns + "rtept"))
        n_wpt = sum(1 for _ in root.iter(ns + "wpt"))
        extra = f" (it has {n_wpt} waypoints and {n_rte} route points, which are not a track)"
        raise NoTrackDataError(
            path, "GPX has no track points" + (extra if n_rte or n_wpt else "")
        )
    index = parse_times([t.strip() if t else None for t in times])
    frame = pd.DataFrame(
        {"latitude": _to_array(lat), "longitude": _to_array(lon), **cols}, index=index
    )
    creator = root.get("creator")
    return RawLog(
        frame=frame,
        format="gpx",
        device=creator.strip() if creator else None,
        sport=normalise_sport(sport),
        notes=notes,
        cadence_unit="cycles",
        n_points=n,
    )
