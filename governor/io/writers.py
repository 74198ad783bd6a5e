"""Writers of canonical tables to GPX 1.1, TCX v2 and CSV, readable back by ``read_log``.

Each takes a DataFrame indexed by UTC timestamp with (some of) the canonical columns of
:data:`~governor.io.activity.COLUMNS`. Cadence is written as devices do: strides per minute
(half of ``cadence_spm``) for foot sports in GPX and TCX, so that reading doubles it back.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

from .activity import COLUMNS

__all__ = ["write_gpx", "write_tcx", "write_csv"]

_FOOT = {"running", "walking", "hiking"}
_TCX_SPORT = {"running": "Running", "cycling": "Biking"}


def _utc_index(frame: pd.DataFrame) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(frame.index)
    if index.tz is None:
        index = index.tz_localize("UTC")
    return index.tz_convert("UTC")


def _times(index: pd.DatetimeIndex) -> list[str]:
    ms = index.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3]
    return [f"{t}Z" for t in ms]


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame:
        return frame[name].to_numpy(dtype=float)
    return np.full(len(frame), np.nan)


def _sport(frame: pd.DataFrame, sport: str | None) -> str | None:
    return sport if sport is not None else frame.attrs.get("sport")


def write_gpx(
    activity: pd.DataFrame, path: str | os.PathLike, *, sport: str | None = None,
    name: str | None = None, creator: str = "governor",
) -> None:
    """Write ``activity`` as a GPX 1.1 track with Garmin TrackPointExtension.

    Rows without a position are skipped (GPX track points need one). Heart rate [bpm],
    cadence, air temperature [°C] go in ``gpxtpx:TrackPointExtension``; power [W] as
    ``<power>`` (the Strava convention).

    Parameters
    ----------
    activity : pandas.DataFrame
        Indexed by UTC timestamp, canonical columns.
    path : str or os.PathLike
        Output file.
    sport : str, optional
        Written as the track ``<type>``; default ``activity.attrs["sport"]``.
    name : str, optional
        Track name.
    creator : str
        The GPX ``creator`` attribute.
    """
    sport = _sport(activity, sport)
    half = 0.5 if sport in _FOOT else 1.0
    index = _utc_index(activity)
    times = _times(index)
    lat, lon, ele = _col(activity, "latitude"), _col(activity, "longitude"), _col(
        activity, "elevation_m")
    hr, cad = _col(activity, "heart_rate_bpm"), _col(activity, "cadence_spm") * half
    temp, power = _col(activity, "temperature_c"), _col(activity, "power_w")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator={quoteattr(creator)} '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
        "<trk>",
    ]
    if name:
        out.append(f"<name>{escape(name)}</name>")
    if sport:
        out.append(f"<type>{escape(sport)}</type>")
    out.append("<trkseg>")
    for i in range(len(activity)):
        if not (np.isfinite(lat[i]) and np.isfinite(lon[i])):
            continue
        parts = [f'<trkpt lat="{lat[i]:.8f}" lon="{lon[i]:.8f}">']
        if np.isfinite(ele[i]):
            parts.append(f"<ele>{ele[i]:.2f}</ele>")
        parts.append(f"<time>{times[i]}</time>")
        ext = []
        if np.isfinite(temp[i]):
            ext.append(f"<gpxtpx:atemp>{temp[i]:.1f}</gpxtpx:atemp>")
        if np.isfinite(hr[i]):
            ext.append(f"<gpxtpx:hr>{int(round(hr[i]))}</gpxtpx:hr>")
        if np.isfinite(cad[i]):
            ext.append(f"<gpxtpx:cad>{cad[i]:g}</gpxtpx:cad>")
        if ext or np.isfinite(power[i]):
            parts.append("<extensions>")
            if np.isfinite(power[i]):
                parts.append(f"<power>{power[i]:g}</power>")
            if ext:
                parts += ["<gpxtpx:TrackPointExtension>", *ext, "</gpxtpx:TrackPointExtension>"]
            parts.append("</extensions>")
        parts.append("</trkpt>")
        out.append("".join(parts))
    out += ["</trkseg>", "</trk>", "</gpx>", ""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


def write_tcx(
    activity: pd.DataFrame, path: str | os.PathLike, *, sport: str | None = None,
    creator: str = "governor",
) -> None:
    """Write ``activity`` as a TCX v2 activity with one lap.

    Every row becomes a ``<Trackpoint>`` (position optional); speed [m/s], cadence and
    power [W] go in the ``ns3:TPX`` extension.

    Parameters
    ----------
    activity : pandas.DataFrame
        Indexed by UTC timestamp, canonical columns.
    path : str or os.PathLike
        Output file.
    sport : str, optional
        ``"running"`` -> Running, ``"cycling"`` -> Biking, else Other; default
        ``activity.attrs["sport"]``.
    creator : str
        The device name written in ``<Creator>``.
    """
    sport = _sport(activity, sport)
    half = 0.5 if sport in _FOOT else 1.0
    index = _utc_index(activity)
    times = _times(index)
    lat, lon, ele = _col(activity, "latitude"), _col(activity, "longitude"), _col(
        activity, "elevation_m")
    dist, speed = _col(activity, "distance_m"), _col(activity, "speed_mps")
    hr, cad, power = _col(activity, "heart_rate_bpm"), _col(activity, "cadence_spm") * half, \
        _col(activity, "power_w")
    cad_tag = "RunCadence" if sport in _FOOT else "Cadence"
    total_time = (index[-1] - index[0]).total_seconds() if len(index) else 0.0
    finite = dist[np.isfinite(dist)]
    total_dist = float(finite[-1] - finite[0]) if len(finite) else 0.0
    start = times[0] if times else "1970-01-01T00:00:00.000Z"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">',
        "<Activities>",
        f'<Activity Sport="{_TCX_SPORT.get(sport or "", "Other")}">',
        f"<Id>{start}</Id>",
        f'<Lap StartTime="{start}">',
        f"<TotalTimeSeconds>{total_time:.3f}</TotalTimeSeconds>",
        f"<DistanceMeters>{total_dist:.2f}</DistanceMeters>",
        "<Calories>0</Calories><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>",
        "<Track>",
    ]
    for i in range(len(activity)):
        parts = ["<Trackpoint>", f"<Time>{times[i]}</Time>"]
        if np.isfinite(lat[i]) and np.isfinite(lon[i]):
            parts.append(
                f"<Position><LatitudeDegrees>{lat[i]:.8f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{lon[i]:.8f}</LongitudeDegrees></Position>"
            )
        if np.isfinite(ele[i]):
            parts.append(f"<AltitudeMeters>{ele[i]:.2f}</AltitudeMeters>")
        if np.isfinite(dist[i]):
            parts.append(f"<DistanceMeters>{dist[i]:.2f}</DistanceMeters>")
        if np.isfinite(hr[i]):
            parts.append(f"<HeartRateBpm><Value>{int(round(hr[i]))}</Value></HeartRateBpm>")
        if sport not in _FOOT and np.isfinite(cad[i]):
            parts.append(f"<Cadence>{int(round(cad[i]))}</Cadence>")
        ext = []
        if np.isfinite(speed[i]):
            ext.append(f"<ns3:Speed>{speed[i]:.3f}</ns3:Speed>")
        if sport in _FOOT and np.isfinite(cad[i]):
            ext.append(f"<ns3:{cad_tag}>{cad[i]:g}</ns3:{cad_tag}>")
        if np.isfinite(power[i]):
            ext.append(f"<ns3:Watts>{power[i]:g}</ns3:Watts>")
        if ext:
            parts += ["<Extensions><ns3:TPX>", *ext, "</ns3:TPX></Extensions>"]
        parts.append("</Trackpoint>")
        out.append("".join(parts))
    out += [
        "</Track>", "</Lap>",
        f'<Creator><Name>{escape(creator)}</Name></Creator>',
        "</Activity>", "</Activities>", "</TrainingCenterDatabase>", "",
    ]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


def write_csv(activity: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``activity`` as CSV: ``timestamp`` (ISO 8601 UTC) then the canonical columns.

    Column names carry their units (``distance_m``, ``cadence_spm``, ...), so reading back
    needs no ``units=``.
    """
    index = _utc_index(activity)
    table = pd.DataFrame({"timestamp": _times(index)})
    for c in COLUMNS:
        table[c] = _col(activity, c)
    table.to_csv(path, index=False, float_format="%.8g")
