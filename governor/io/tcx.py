"""TCX (Garmin Training Center Database v2) reader: activities, laps, all trackpoints.

Trackpoints without a position (treadmill, GPS lost) are kept: the watch's
``DistanceMeters`` carries the distance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._common import RawLog, localname, normalise_sport, parse_times, parse_xml, to_float
from .errors import CorruptFileError, NoTrackDataError

#: TCX element (local name inside ``<Trackpoint>``) -> SI column. TCX units are SI already
#: (``RunCadence``/``Cadence`` are strides or crank revolutions per minute).
VARIABLE_MAP: dict[str, str] = {
    "LatitudeDegrees": "latitude",
    "LongitudeDegrees": "longitude",
    "AltitudeMeters": "elevation_m",
    "DistanceMeters": "distance_m",
    "HeartRateBpm": "heart_rate_bpm",  # its <Value> child
    "Cadence": "cadence_spm",
    "RunCadence": "cadence_spm",
    "Speed": "speed_mps",
    "Watts": "power_w",
}

_FIELDS = tuple(dict.fromkeys(VARIABLE_MAP.values()))


def read_tcx(path: Path, data: bytes) -> RawLog:
    """Read TCX content ``data`` (from ``path``) into a :class:`RawLog`."""
    notes: list[str] = []
    root = parse_xml(path, data, notes)
    name = localname(root.tag)
    if name == "Activities":  # the database element lost: its activities are all there is
        notes.append("TCX without its <TrainingCenterDatabase> root: read its <Activities>")
    elif name != "TrainingCenterDatabase":
        raise CorruptFileError(
            path, f"root element is <{name}>, not <TrainingCenterDatabase>"
        )
    ns = root.tag[: -len(name)]
    times: list[str | None] = []
    cols: dict[str, list[float]] = {c: [] for c in _FIELDS}
    laps: list[dict] = []
    sport = None
    device = None
    for act in root.iter(ns + "Activity"):
        if sport is None:
            sport = act.get("Sport")
        for creator in act.iter(ns + "Creator"):
            name = creator.find(ns + "Name")
            if device is None and name is not None and name.text:
                device = name.text.strip()
        for lap in act.iter(ns + "Lap"):
            info = {"start": lap.get("StartTime")}
            for el in lap:
                tag = localname(el.tag)
                if tag == "TotalTimeSeconds":
                    info["elapsed_s"] = to_float(el.text)
                elif tag == "DistanceMeters":
                    info["distance_m"] = to_float(el.text)
            laps.append(info)
            for tp in lap.iter(ns + "Trackpoint"):
                t = None
                values: dict[str, float] = {}
                for el in tp.iter():
                    tag = localname(el.tag)
                    if tag == "Time":
                        t = el.text
                        continue
                    key = VARIABLE_MAP.get(tag)
                    if key is None or key in values:
                        continue
                    if tag == "HeartRateBpm":
                        v = el.find(ns + "Value")
                        if v is None:
                            v = next((c for c in el if localname(c.tag) == "Value"), None)
                        values[key] = to_float(v.text if v is not None else None)
                    else:
                        values[key] = to_float(el.text)
                times.append(t.strip() if t else None)
                for c in _FIELDS:
                    cols[c].append(values.get(c, np.nan))
    if not times:
        raise NoTrackDataError(path, "TCX has no trackpoints")
    for lap in laps:
        lap["start"] = parse_times([lap["start"]])[0]
    return RawLog(
        frame=pd.DataFrame(cols, index=parse_times(times)),
        format="tcx",
        device=device,
        sport=normalise_sport(sport),
        laps=laps,
        notes=notes,
        cadence_unit="cycles",
        n_points=len(times),
    )
