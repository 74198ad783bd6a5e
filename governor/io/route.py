"""Courses from files: the distance and elevation along a GPX route (``<rte>``/``<rtept>``)
or track (``<trk>``/``<trkpt>``, times not needed), or along any log ``read_log`` reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import localname, parse_xml
from ._source import choose_format, read_bytes
from .clean import haversine_m
from .errors import CorruptFileError, LogError, NoTrackDataError
from .read import read_log

__all__ = ["read_route"]

#: Steps between consecutive points longer than this [m] are refused: not a route a runner
#: follows but a jump between separate places.
MAX_STEP_M = 5000.0


def _gpx_pieces(path: Path, data: bytes) -> list[pd.DataFrame]:
    """The points of each track segment, or, without tracks, of each route."""
    root = parse_xml(path, data, [])
    if localname(root.tag) != "gpx":
        raise CorruptFileError(path, f"root element is <{localname(root.tag)}>, not <gpx>")
    ns = root.tag[: -len("gpx")]
    for container, kind in (("trkseg", "trkpt"), ("rte", "rtept")):
        pieces = []
        for part in root.iter(ns + container):
            rows = []
            for pt in part.iter(ns + kind):
                ele = next((el.text for el in pt if localname(el.tag) == "ele"), None)
                rows.append((pt.get("lat"), pt.get("lon"), ele))
            if rows:
                frame = pd.DataFrame(rows, columns=["latitude", "longitude", "elevation_m"])
                pieces.append(frame.apply(pd.to_numeric, errors="coerce"))
        if pieces:
            return pieces
    raise NoTrackDataError(path, "GPX has neither track points nor route points")


def _course_of(points: pd.DataFrame) -> pd.DataFrame:
    pts = points[np.isfinite(points["latitude"]) & np.isfinite(points["longitude"])]
    lat, lon = pts["latitude"].to_numpy(), pts["longitude"].to_numpy()
    step = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    distance = np.concatenate([[0.0], np.cumsum(step)])
    keep = np.concatenate([[True], step > 0.0])  # repeated points add nothing
    return pd.DataFrame({"distance_m": distance[keep],
                         "elevation_m": pts["elevation_m"].to_numpy(dtype=float)[keep]})


def read_route(path: str | os.PathLike) -> pd.DataFrame:
    """The course of a file: ``distance_m`` (from 0, along the points) and
    ``elevation_m`` (NaN where the file has none), one row per point.

    A GPX file is read for its positions alone (a route drawn in a planner has no times).
    With several track segments (or routes) the longest is the course and
    ``attrs["notes"]`` says so; a jump of more than :data:`MAX_STEP_M` between
    consecutive points splits a segment the same way. Any other format goes through
    :func:`~governor.io.read_log`. Raises :class:`~governor.io.LogError` naming the file
    when it holds no usable course.
    """
    p = Path(path)
    data, _ = read_bytes(p)
    if choose_format(p, data) != "gpx":
        activity = read_log(p)
        return pd.DataFrame({"distance_m": activity["distance_m"].to_numpy(dtype=float),
                             "elevation_m": activity["elevation_m"].to_numpy(dtype=float)})
    try:
        pieces = _gpx_pieces(p, data)
    except LogError:
        raise
    except Exception as exc:  # never let a parser's exception escape
        raise CorruptFileError(p, f"could not be read ({type(exc).__name__}: {exc})") from None
    courses = []
    for piece in pieces:
        course = _course_of(piece)
        jumps = np.flatnonzero(np.diff(course["distance_m"].to_numpy()) > MAX_STEP_M)
        for part in np.split(np.arange(len(course)), jumps + 1):
            sub = course.iloc[part]
            courses.append(sub.assign(distance_m=sub["distance_m"] - sub["distance_m"].iloc[0]))
    courses = [c for c in courses if len(c) >= 2]
    if not courses:
        raise NoTrackDataError(p, "fewer than two points with a position: no course")
    best = max(courses, key=lambda c: float(c["distance_m"].iloc[-1]))
    best = best.reset_index(drop=True)
    best.attrs["notes"] = ([] if len(courses) == 1 else
                           [f"{len(courses)} separate pieces; the longest "
                            f"({best['distance_m'].iloc[-1] / 1000:.2f} km) is the course"])
    return best
