"""CSV reader for the exports people really have.

Columns are recognised by name in several spellings (case, spaces, underscores and a unit
in brackets do not matter: ``"Heart Rate (bpm)"``, ``heart_rate``, ``HR`` ...), see
:data:`VARIABLE_MAP`. Units come, in order of preference, from ``units=``, from the column
name (``distance_km``, ``Speed (km/h)``, ``pace_min_per_mile``), or are inferred where the
data make it unambiguous (distance m vs km from its rate of growth; speed m/s vs km/h and
pace min/km vs min/mile by agreement with the distance column; latitude in semicircles when
beyond ±180). Assumptions made are written in the cleaning report's notes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import SEMICIRCLE_TO_DEGREES, RawLog
from .errors import (
    CorruptFileError,
    EmptyFileError,
    NotAnActivityError,
    NoTimestampsError,
    UnrecognisedColumnsError,
)

#: Quantity -> accepted column names (normalised: lower case, letters and digits only).
VARIABLE_MAP: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "time", "datetime", "date", "utc", "timeutc", "starttime",
                  "timestampepoch", "epoch", "epochtime", "epochms", "epochs", "unixtime",
                  "unixtimestamp", "timestampms", "timestamps", "timems", "posixtime"),
    "elapsed": ("elapsed", "elapsedtime", "elapseds", "elapsedtimes", "duration", "seconds",
                "secs", "times", "timer", "timertime", "movingtime"),
    "latitude": ("latitude", "lat", "positionlat", "latitudedegrees", "latdeg"),
    "longitude": ("longitude", "lon", "lng", "long", "positionlong", "longitudedegrees"),
    "distance": ("distance", "dist", "distancem", "distancemeters", "distancekm",
                 "distancemi", "distancemiles", "totaldistance", "cumulativedistance"),
    "speed": ("speed", "speedmps", "speedms", "speedkmh", "speedkph", "speedmph", "velocity",
              "enhancedspeed"),
    "pace": ("pace", "pacemin", "pacekm", "paceminkm", "paceminperkm", "pacemi",
             "paceminmi", "paceminmile", "paceminpermile", "pacespkm"),
    "heart_rate": ("heartrate", "hr", "heartratebpm", "bpm", "pulse", "heartratebpms", "hrbpm"),
    "cadence": ("cadence", "cad", "cadencespm", "cadencerpm", "runcadence", "stepsperminute",
                "spm", "strides", "stridespm"),
    "altitude": ("altitude", "elevation", "ele", "alt", "enhancedaltitude", "elevationm",
                 "altitudem", "elevationft", "altitudeft", "elevationfeet"),
    "power": ("power", "powerw", "watts", "powerwatts"),
    "temperature": ("temperature", "temp", "temperaturec", "atemp", "tempc"),
}

#: Unit spelling -> (canonical unit, factor to SI). Keys are what may appear in ``units=``.
UNITS: dict[str, dict[str, tuple[str, float]]] = {
    "distance": {"m": ("m", 1.0), "km": ("km", 1000.0), "mi": ("mi", 1609.344),
                 "mile": ("mi", 1609.344), "miles": ("mi", 1609.344)},
    "speed": {"m/s": ("m/s", 1.0), "mps": ("m/s", 1.0), "km/h": ("km/h", 1 / 3.6),
              "kph": ("km/h", 1 / 3.6), "kmh": ("km/h", 1 / 3.6), "mph": ("mph", 0.44704)},
    "pace": {"min/km": ("min/km", 1000.0 / 60.0), "min/mile": ("min/mile", 1609.344 / 60.0),
             "min/mi": ("min/mile", 1609.344 / 60.0), "s/km": ("s/km", 1000.0)},
    "altitude": {"m": ("m", 1.0), "ft": ("ft", 0.3048), "feet": ("ft", 0.3048)},
    "position": {"degrees": ("degrees", 1.0), "semicircles": ("semicircles",
                                                              SEMICIRCLE_TO_DEGREES)},
    "cadence": {"spm": ("spm", 1.0), "rpm": ("rpm", 1.0)},
}
_UNIT_ALIASES = {"elevation": "altitude", "lat": "position", "latitude": "position"}

_TZ_ABBREVIATIONS = {
    "UTC": "+0000", "GMT": "+0000", "Z": "+0000", "WET": "+0000", "WEST": "+0100",
    "BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
    "EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500", "MST": "-0700",
    "MDT": "-0600", "PST": "-0800", "PDT": "-0700", "AKST": "-0900", "AKDT": "-0800",
    "HST": "-1000", "JST": "+0900", "AEST": "+1000", "AEDT": "+1100", "IST": "+0530",
}


def _norm(name: str) -> tuple[str, str | None]:
    """Normalised column name and the unit written in brackets, if any."""
    name = str(name).strip()
    unit = None
    m = re.search(r"[\(\[]([^\)\]]*)[\)\]]", name)
    if m:
        unit = m.group(1).strip().lower()
        name = name[: m.start()] + name[m.end():]
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return key, unit


def _unit_from_name(quantity: str, key: str, bracket: str | None) -> str | None:
    text = (bracket or "").replace(" ", "")
    if quantity == "distance":
        if text in ("km", "kilometers", "kilometres") or key.endswith("km"):
            return "km"
        if text in ("mi", "mile", "miles") or key.endswith(("mi", "miles")):
            return "mi"
        if text in ("m", "meters", "metres") or key in ("distancem", "distancemeters"):
            return "m"
    if quantity == "speed":
        if text in ("km/h", "kmh", "kph") or key.endswith(("kmh", "kph")):
            return "km/h"
        if text == "mph" or key.endswith("mph"):
            return "mph"
        if text in ("m/s", "mps", "ms") or key.endswith(("mps", "ms")):
            return "m/s"
    if quantity == "pace":
        if "km" in text or key.endswith("km"):
            return "min/km"
        if "mi" in text.replace("min", "") or key.endswith(("mi", "mile")):
            return "min/mile"
    if quantity == "altitude":
        if text in ("ft", "feet") or key.endswith(("ft", "feet")):
            return "ft"
        if text == "m" or key.endswith("m"):
            return "m"
    if quantity == "cadence":
        if text == "spm" or key.endswith("spm") or key == "stepsperminute":
            return "spm"
        if text == "rpm" or key.endswith("rpm") or key.startswith("stride"):
            return "rpm"
    return None


def _clock_to_minutes(values: pd.Series) -> pd.Series:
    """Pace given as ``"m:ss"`` (or ``"h:mm:ss"``) strings to decimal minutes."""
    def one(v):
        if isinstance(v, str) and ":" in v:
            try:
                parts = [float(p) for p in v.strip().split(":")]
            except ValueError:
                return np.nan
            if len(parts) == 2:
                return parts[0] + parts[1] / 60.0
            if len(parts) == 3:
                return parts[0] * 60 + parts[1] + parts[2] / 60.0
            return np.nan
        return v

    return pd.to_numeric(values.map(one), errors="coerce")


def _to_seconds(values: pd.Series) -> pd.Series:
    """Elapsed time as seconds, or ``"h:mm:ss"`` strings, to seconds."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().mean() > 0.9:
        return numeric.astype(float)
    td = pd.to_timedelta(values.astype(str).str.strip(), errors="coerce")
    return td.dt.total_seconds()


def _parse_timestamps(values: pd.Series, timezone: str | None) -> tuple[pd.Series, str | None]:
    """Absolute times to UTC; naive times are taken in ``timezone`` (else UTC)."""
    s = values.astype(str).str.strip()
    found_tz = None
    m = s.str.extract(r"\s([A-Z]{1,5})\s+\d{4}$")[0]
    if m.notna().mean() > 0.9:
        abbrev = m.dropna().iloc[0]
        if abbrev in _TZ_ABBREVIATIONS:
            found_tz = abbrev
            s = s.str.replace(r"\s([A-Z]{1,5})\s+(\d{4})$",
                              lambda mm: f" {_TZ_ABBREVIATIONS.get(mm.group(1), '+0000')} "
                              f"{mm.group(2)}", regex=True)
            out = pd.to_datetime(s, format="%a %b %d %H:%M:%S %z %Y", errors="coerce", utc=True)
            return out, found_tz
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().mean() > 0.9 and numeric.median() > 1e8:  # Unix epoch
        # seconds, milliseconds, microseconds or nanoseconds, by magnitude (1e8 s is 1973)
        median = numeric.median()
        unit = "ns" if median > 1e17 else "us" if median > 1e14 else "ms" if median > 1e11 \
            else "s"
        return pd.to_datetime(numeric, unit=unit, utc=True, errors="coerce"), None
    if numeric.notna().mean() > 0.9:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]"), None
    out = pd.to_datetime(s, errors="coerce", format="mixed")
    if getattr(out.dt, "tz", None) is None:
        tz = timezone or "UTC"
        try:
            out = out.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        except Exception:
            out = out.dt.tz_localize("UTC")
    else:
        out = out.dt.tz_convert("UTC")
    return out, found_tz


def read_csv(path: Path, data: bytes, *, units: dict | None = None,
             timezone: str | None = None) -> RawLog:
    """Read CSV content ``data`` (from ``path``) into a :class:`RawLog`."""
    units = {(_UNIT_ALIASES.get(k.lower(), k.lower())): str(v).lower().replace(" ", "")
             for k, v in (units or {}).items()}
    text = data.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    sep = max((",", ";", "\t"), key=first.count)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, low_memory=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise EmptyFileError(path, "CSV has no content") from None
    except (pd.errors.ParserError, ValueError, UnicodeError) as exc:
        raise CorruptFileError(path, f"malformed CSV ({str(exc).strip()})") from None
    if df.shape[0] == 0:
        raise EmptyFileError(path, "CSV has a header but no rows")
    found: dict[str, tuple[str, str, str | None]] = {}  # quantity -> (column, key, unit)
    lookup = {alias: q for q, aliases in VARIABLE_MAP.items() for alias in aliases}
    for col in df.columns:
        key, bracket = _norm(col)
        q = lookup.get(key)
        if q is not None and q not in found:
            found[q] = (col, key, bracket)
    accepted = "; ".join(f"{q}: {', '.join(a[:4])}" for q, a in VARIABLE_MAP.items())
    data_quantities = set(found) - {"timestamp", "elapsed"}
    if not found:
        cols = ", ".join(map(str, df.columns[:4])) + (", ..." if df.shape[1] > 4 else "")
        raise NotAnActivityError(
            path, f"not an activity log: none of its columns ({cols}) is a time, position, "
                  "distance, speed or heart rate")
    if not ({"timestamp", "elapsed"} & set(found)) or not data_quantities:
        cols = ", ".join(map(str, df.columns[:30]))
        missing = "no time column" if not ({"timestamp", "elapsed"} & set(found)) else \
            "no activity data column"
        raise UnrecognisedColumnsError(
            path,
            f"CSV columns not recognised ({missing}). Found: [{cols}]. "
            f"Accepted names (any case/spacing, unit in brackets allowed): {accepted}",
        )
    notes: list[str] = []
    n = len(df)
    out: dict[str, np.ndarray] = {}

    def numeric(q: str) -> pd.Series:
        return pd.to_numeric(df[found[q][0]], errors="coerce").astype(float)

    def unit_for(q: str) -> str | None:
        if q in units:
            if units[q] not in UNITS.get(q, {}):
                raise UnrecognisedColumnsError(
                    path, f"unknown unit {units[q]!r} for {q}; accepted: "
                    f"{', '.join(UNITS.get(q, {}))}")
            return UNITS[q][units[q]][0]
        col, key, bracket = found[q]
        return _unit_from_name(q, key, bracket)

    # --- time -------------------------------------------------------------------------
    index = None
    tz_found = None
    if "timestamp" in found:
        stamps, tz_found = _parse_timestamps(df[found["timestamp"][0]], timezone)
        if stamps.notna().mean() >= 0.5:
            index = pd.DatetimeIndex(stamps)
        elif "elapsed" not in found:
            col = found["timestamp"][0]
            seconds = _to_seconds(df[col])
            if seconds.notna().mean() >= 0.5:
                found["elapsed"] = (col, "elapsed", None)
    if index is None and "elapsed" in found:
        seconds = _to_seconds(df[found["elapsed"][0]])
        if seconds.notna().mean() < 0.5:
            raise NoTimestampsError(path, f"column {found['elapsed'][0]!r} is not a time")
        index = pd.DatetimeIndex(pd.Timestamp(0, tz="UTC") + pd.to_timedelta(seconds, unit="s"))
        notes.append("CSV has elapsed time only: timestamps start at 1970-01-01T00:00Z")
    if index is None:
        raise NoTimestampsError(path, f"column {found['timestamp'][0]!r} holds no readable times")
    index = index.as_unit("ns").rename("timestamp")
    elapsed = (index - index.min()).total_seconds().to_numpy() if index.notna().any() else None

    # --- position ---------------------------------------------------------------------
    for q in ("latitude", "longitude"):
        if q in found:
            v = numeric(q)
            pos_unit = units.get("position")
            if pos_unit == "semicircles" or (pos_unit is None and v.abs().max() > 180):
                v = v * SEMICIRCLE_TO_DEGREES
                if pos_unit is None and q == "latitude":
                    notes.append("latitude/longitude read as semicircles (values beyond ±180)")
            out[q] = v.to_numpy()

    # --- distance ---------------------------------------------------------------------
    if "distance" in found:
        d = numeric("distance")
        unit = unit_for("distance")
        if unit is None:
            span = np.nanmax(elapsed) if elapsed is not None and len(elapsed) else np.nan
            dmax = d.max()
            if np.isfinite(span) and span > 60 and np.isfinite(dmax) and dmax > 0:
                unit = "km" if dmax / span < 0.05 else "m"
                notes.append(f"distance unit inferred as {unit} (grows {dmax / span:.3g}/s)")
            else:
                unit = "m"
                notes.append("distance unit assumed m (give units={'distance': ...})")
        out["distance_m"] = (d * UNITS["distance"][unit][1]).to_numpy()

    def agrees(speed_mps: np.ndarray) -> float:
        """Median ratio of a speed candidate to the speed from the distance column."""
        if "distance_m" not in out or elapsed is None:
            return np.nan
        dd = np.gradient(out["distance_m"]) if n > 2 else np.full(n, np.nan)
        dt = np.gradient(elapsed) if n > 2 else np.full(n, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = dd / dt
        ok = np.isfinite(v) & np.isfinite(speed_mps) & (v > 0.5) & (speed_mps > 0.5)
        if ok.sum() < 5:
            return np.nan
        return float(np.median(speed_mps[ok] / v[ok]))

    # --- speed or pace ----------------------------------------------------------------
    if "speed" in found:
        v = numeric("speed").to_numpy()
        unit = unit_for("speed")
        if unit is None:
            candidates = {u: v * UNITS["speed"][u][1] for u in ("m/s", "km/h", "mph")}
            scores = {u: abs(np.log(agrees(c))) for u, c in candidates.items()}
            if all(np.isnan(s) for s in scores.values()):
                med = np.nanmedian(v) if np.isfinite(v).any() else 0.0
                unit = "km/h" if med > 12 else "m/s"
                notes.append(f"speed unit assumed {unit} from its magnitude (median {med:.3g})")
            else:
                unit = min(scores, key=lambda u: np.inf if np.isnan(scores[u]) else scores[u])
                notes.append(f"speed unit inferred as {unit} by agreement with distance")
        out["speed_mps"] = v * UNITS["speed"][unit][1]
    elif "pace" in found:
        minutes = _clock_to_minutes(df[found["pace"][0]]).to_numpy()
        unit = unit_for("pace")
        with np.errstate(divide="ignore", invalid="ignore"):
            per = {u: np.where(minutes > 0, UNITS["pace"][u][1] / minutes, np.nan)
                   for u in ("min/km", "min/mile")}
        if unit is None:
            scores = {u: abs(np.log(agrees(c))) for u, c in per.items()}
            if all(np.isnan(s) for s in scores.values()):
                raise UnrecognisedColumnsError(
                    path, f"pace column {found['pace'][0]!r} unit unknown: give "
                    "units={'pace': 'min/km'} or {'pace': 'min/mile'}")
            unit = min(scores, key=lambda u: np.inf if np.isnan(scores[u]) else scores[u])
            notes.append(f"pace unit inferred as {unit} by agreement with distance")
        if unit == "s/km":
            with np.errstate(divide="ignore", invalid="ignore"):
                out["speed_mps"] = np.where(minutes > 0, 1000.0 / minutes, np.nan)
        else:
            out["speed_mps"] = per[unit]

    # --- the rest ---------------------------------------------------------------------
    if "altitude" in found:
        unit = unit_for("altitude") or "m"
        out["elevation_m"] = (numeric("altitude") * UNITS["altitude"][unit][1]).to_numpy()
    if "heart_rate" in found:
        out["heart_rate_bpm"] = numeric("heart_rate").to_numpy()
    if "power" in found:
        out["power_w"] = numeric("power").to_numpy()
    if "temperature" in found:
        out["temperature_c"] = numeric("temperature").to_numpy()
    cadence_unit = None
    if "cadence" in found:
        out["cadence_spm"] = numeric("cadence").to_numpy()
        u = unit_for("cadence")
        cadence_unit = {"spm": "steps", "rpm": "cycles"}.get(u) if u else None
    used = ", ".join(f"{q}={found[q][0]!r}" for q in found)
    notes.insert(0, f"CSV columns used: {used}")
    return RawLog(
        frame=pd.DataFrame(out, index=index),
        format="csv",
        timezone=tz_found or timezone,
        notes=notes,
        cadence_unit=cadence_unit,
        n_points=n,
    )
