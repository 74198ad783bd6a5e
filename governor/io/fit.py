"""FIT reader (via ``fitdecode``): records, laps, sessions, device, sport, timer pauses.

A FIT file cut short (``FitEOFError`` after some records) is returned with what was read
and ``partial=True`` (flagged in the cleaning report); any other decoding failure, including a
CRC mismatch, is a :class:`~governor.io.errors.CorruptFileError`.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

import fitdecode
import numpy as np
import pandas as pd

from ._common import SEMICIRCLE_TO_DEGREES, RawLog, normalise_sport
from .errors import CorruptFileError, EmptyFileError, NoTimestampsError, NoTrackDataError

#: FIT ``record`` field -> (SI column, factor). Earlier entries win for the same column
#: (``enhanced_*`` before the 16-bit fields; native ``power`` before a developer ``Power``).
#: ``fitdecode`` already applies the profile's scale and offset (m, m/s, bpm, °C, W).
VARIABLE_MAP: dict[str, tuple[str, float]] = {
    "position_lat": ("latitude", SEMICIRCLE_TO_DEGREES),
    "position_long": ("longitude", SEMICIRCLE_TO_DEGREES),
    "enhanced_altitude": ("elevation_m", 1.0),
    "altitude": ("elevation_m", 1.0),
    "enhanced_speed": ("speed_mps", 1.0),
    "speed": ("speed_mps", 1.0),
    "distance": ("distance_m", 1.0),
    "heart_rate": ("heart_rate_bpm", 1.0),
    "cadence": ("cadence_spm", 1.0),
    "power": ("power_w", 1.0),
    "Power": ("power_w", 1.0),
    "temperature": ("temperature_c", 1.0),
}
_PRIORITY = {name: i for i, name in enumerate(VARIABLE_MAP)}
_COLUMNS = tuple(dict.fromkeys(col for col, _ in VARIABLE_MAP.values()))
_PAUSE_TYPES = {"stop", "stop_all", "stop_disable", "stop_disable_all"}
_FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z in Unix seconds


def _num(value) -> float:
    if value is None or isinstance(value, (str, bytes, tuple, list)):
        return np.nan
    try:
        v = float(value)
    except (TypeError, ValueError):
        return np.nan
    return v if np.isfinite(v) else np.nan


def _ts(value) -> pd.Timestamp | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return pd.Timestamp(value).tz_convert("UTC")
    return None


def read_fit(path: Path, data: bytes) -> RawLog:
    """Read FIT content ``data`` (from ``path``) into a :class:`RawLog`."""
    times: list[pd.Timestamp | None] = []
    rows: list[dict[str, float]] = []
    laps: list[dict] = []
    pauses: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    pause_start = None
    sport = sub_sport = device = timezone = None
    partial = False
    notes: list[str] = []
    n_messages = 0
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader = fitdecode.FitReader(
                io.BytesIO(data),
                check_crc=fitdecode.CrcCheck.RAISE,
                error_handling=fitdecode.ErrorHandling.WARN,
            )
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                n_messages += 1
                name = frame.name
                if name == "record":
                    t = None
                    row: dict[str, float] = {}
                    best: dict[str, int] = {}
                    fractional = 0.0
                    for f in frame.fields:
                        fname = f.name
                        if fname == "timestamp":
                            t = _ts(f.value)
                        elif fname == "fractional_cadence":
                            fractional = _num(f.value)
                        elif fname in VARIABLE_MAP:
                            col, factor = VARIABLE_MAP[fname]
                            v = _num(f.value)
                            if np.isnan(v):
                                continue
                            if col not in best or _PRIORITY[fname] < best[col]:
                                row[col] = v * factor
                                best[col] = _PRIORITY[fname]
                    if "cadence_spm" in row and np.isfinite(fractional):
                        row["cadence_spm"] += fractional
                    times.append(t)
                    rows.append(row)
                elif name == "event":
                    if frame.get_value("event", fallback=None) != "timer":
                        continue
                    etype = frame.get_value("event_type", fallback=None)
                    t = _ts(frame.get_value("timestamp", fallback=None))
                    if t is None:
                        continue
                    if etype in _PAUSE_TYPES and pause_start is None:
                        pause_start = t
                    elif etype == "start" and pause_start is not None:
                        if t > pause_start:
                            pauses.append((pause_start, t))
                        pause_start = None
                elif name == "lap":
                    start = _ts(frame.get_value("start_time", fallback=None))
                    laps.append(
                        {
                            "start": start,
                            "elapsed_s": _num(frame.get_value("total_elapsed_time", fallback=None)),
                            "timer_s": _num(frame.get_value("total_timer_time", fallback=None)),
                            "distance_m": _num(frame.get_value("total_distance", fallback=None)),
                        }
                    )
                elif name in ("session", "sport"):
                    s = frame.get_value("sport", fallback=None)
                    ss = frame.get_value("sub_sport", fallback=None)
                    if s is not None and (sport is None or name == "session"):
                        sport = s
                    if ss is not None and (sub_sport is None or name == "session"):
                        sub_sport = ss
                elif name == "file_id" and device is None:
                    manufacturer = frame.get_value("manufacturer", fallback=None)
                    product = frame.get_value("garmin_product", fallback=None)
                    if product is None:
                        product = frame.get_value("product", fallback=None)
                    parts = [str(p) for p in (manufacturer, product) if p is not None]
                    device = " ".join(parts) or None
                elif name == "activity":
                    local = frame.get_value("local_timestamp", fallback=None)
                    utc = _ts(frame.get_value("timestamp", fallback=None))
                    if isinstance(local, dt.datetime):  # fitdecode labels local time UTC
                        local = local.replace(tzinfo=dt.UTC).timestamp() - _FIT_EPOCH_S
                    if isinstance(local, (int, float)) and utc is not None:
                        offset_s = (local + _FIT_EPOCH_S) - utc.timestamp()
                        if abs(offset_s) <= 14 * 3600:
                            minutes = int(round(offset_s / 900.0)) * 15
                            sign = "+" if minutes >= 0 else "-"
                            timezone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
            for w in caught:
                notes.append(f"FIT decoder warning: {w.message}")
    except fitdecode.FitEOFError as exc:
        if not rows:
            raise CorruptFileError(path, f"FIT file cut short before any record ({exc})") from None
        partial = True
        notes.append(
            f"FIT file is cut short ({exc}); the {len(rows)} records before the cut were kept"
        )
    except fitdecode.FitCRCError:
        raise CorruptFileError(path, "FIT CRC mismatch: the file is damaged") from None
    except fitdecode.FitHeaderError as exc:
        raise CorruptFileError(path, f"invalid FIT header ({exc})") from None
    except Exception as exc:  # fitdecode raises many kinds on damaged data
        raise CorruptFileError(
            path, f"FIT decoding failed: {type(exc).__name__}: {exc}".rstrip(": ")
        ) from None
    if n_messages == 0:
        raise EmptyFileError(path, "FIT file holds no messages")
    if not rows:
        raise NoTrackDataError(path, "FIT file has no record messages (not an activity?)")
    if all(t is None for t in times):
        raise NoTimestampsError(path, "FIT records carry no timestamps")
    index = pd.DatetimeIndex(
        [pd.NaT if t is None else t for t in times], tz="UTC", name="timestamp"
    ).as_unit("ns")
    frame = pd.DataFrame.from_records(rows, index=index, columns=list(_COLUMNS))
    frame = frame.astype(float)
    return RawLog(
        frame=frame,
        format="fit",
        device=device,
        sport=normalise_sport(sport),
        sub_sport=None if sub_sport in (None, "generic") else str(sub_sport),
        laps=laps,
        timezone=timezone,
        pauses=pauses,
        notes=notes,
        partial=partial,
        cadence_unit="cycles",
        n_points=len(rows),
    )
