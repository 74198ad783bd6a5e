"""GPX 1.0 and 1.1 reader (all tracks and all segments).

Heart rate, cadence, temperature, power and speed are read from the Garmin
TrackPointExtension (v1 and v2) and the common alternatives (Strava ``<power>``, Cluetrust
``gpxdata:hr``, ``PowerInWatts``); extension element names are matched without namespace.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._common import RawLog, localname, normalise_sport, parse_times, parse_xml, to_float
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


def read_gpx(path: Path, data: bytes) -> RawLog:
    """Read GPX content ``data`` (from ``path``) into a :class:`RawLog`."""
    root = parse_xml(path, data)
    if localname(root.tag) != "gpx":
        raise CorruptFileError(path, f"root element is <{localname(root.tag)}>, not <gpx>")
    ns = root.tag[: -len("gpx")]  # '{http://www.topografix.com/GPX/1/1}' or ''
    lat: list[float] = []
    lon: list[float] = []
    times: list[str | None] = []
    cols: dict[str, list[float]] = {c: [] for c in _FIELDS}
    sport = None
    names = []
    for trk in root.iter(ns + "trk"):
        for child in trk:
            tag = localname(child.tag)
            if tag == "type" and sport is None and child.text:
                sport = child.text.strip()
            elif tag == "name" and child.text:
                names.append(child.text.strip())
        for pt in trk.iter(ns + "trkpt"):
            lat.append(to_float(pt.get("lat")))
            lon.append(to_float(pt.get("lon")))
            t = None
            values: dict[str, float] = {}
            for el in pt.iter():
                if el is pt:
                    continue
                tag = localname(el.tag)
                if tag == "time":
                    t = el.text
                    continue
                key = VARIABLE_MAP.get(tag.lower())
                if key is not None and key not in values:
                    text = el.text
                    if text is not None and text.strip():
                        values[key] = to_float(text)
            times.append(t.strip() if t else None)
            for c in _FIELDS:
                cols[c].append(values.get(c, np.nan))
    n = len(times)
    if n == 0:
        n_rte = sum(1 for _ in root.iter(ns + "rtept"))
        n_wpt = sum(1 for _ in root.iter(ns + "wpt"))
        extra = f" (it has {n_wpt} waypoints and {n_rte} route points, which are not a track)"
        raise NoTrackDataError(
            path, "GPX has no track points" + (extra if n_rte or n_wpt else "")
        )
    index = parse_times(times)
    frame = pd.DataFrame({"latitude": lat, "longitude": lon, **cols}, index=index)
    creator = root.get("creator")
    return RawLog(
        frame=frame,
        format="gpx",
        device=creator.strip() if creator else None,
        sport=normalise_sport(sport),
        cadence_unit="cycles",
        n_points=n,
    )
