"""Cleaning: from the rows a device recorded to a 1 Hz table fit for modelling.

Each step is a function of a DataFrame with the canonical columns and adds one line to the
:class:`~governor.io.activity.CleaningReport`. Order in :func:`clean`:

1. ``timestamps``  — drop rows without time, sort, merge duplicated timestamps.
2. ``sessions``    — split on recording gaps longer than ``SESSION_GAP_S``; rows are never
   invented across such a gap.
3. ``gps_jumps``   — drop positions implying a speed above the sport's limit.
4. ``distance``    — keep the device's distance, or integrate the cleaned positions.
5. ``heart_rate``  — drop dropouts (0, out of range) and spikes (far from a running median).
6. ``resample``    — 1 Hz within each session; short gaps interpolated, long gaps left NaN
   for heart rate, cadence and power; distance and position interpolated.
7. ``pauses``      — pause records (FIT timer stop/start) and stationary stretches
   (speed below ``STATIONARY_SPEED_MPS``) set ``moving`` to False.
8. ``elevation``   — centred running mean, then ``grade`` from elevation and distance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .activity import COLUMNS, CleaningReport
from .errors import ImplausibleDataError, NoTimestampsError

#: A recording gap longer than this starts a new session [s].
SESSION_GAP_S = 1800.0
#: Fastest plausible speed between GPS fixes [m/s], by sport (default for others).
MAX_SPEED_MPS = {"running": 12.5, "walking": 12.5, "hiking": 12.5, "default": 35.0}
#: Slower than this is standing still [m/s] (a slow walk is ~1 m/s).
STATIONARY_SPEED_MPS = 0.5
#: A stretch must be stationary this long to count as a pause [s].
STATIONARY_MIN_S = 5
#: Largest change of GPS-implied speed per second accepted for a fix [m/s^2] (above a
#: sprint start; lower values reject the ordinary jitter of 1 Hz watch positions).
MAX_ACCEL_MPS2 = 10.0
#: A stretch whose straight-line displacement over STATIONARY_WINDOW_S is below
#: STATIONARY_RADIUS_M is stationary even if GPS drift gives it an apparent speed.
STATIONARY_WINDOW_S = 20
STATIONARY_RADIUS_M = 10.0
#: ... provided its apparent speed is below this [m/s] (GPS drift, not a turnaround).
DRIFT_SPEED_MPS = 1.0
#: Gaps up to this long are interpolated for heart rate, cadence, power, speed [s].
MAX_INTERPOLATION_GAP_S = 10.0
#: Plausible heart rate [bpm]; outside is a dropout or artefact.
HEART_RATE_RANGE_BPM = (25.0, 240.0)
#: A heart rate further than this from its running median is a spike [bpm].
HEART_RATE_SPIKE_BPM = 30.0
#: Window of the elevation running mean [s].
ELEVATION_WINDOW_S = 15
#: Half-window over which grade is taken as rise over run [s].
GRADE_HALF_WINDOW_S = 5
#: Grade is only computed where at least this distance is covered over the window [m].
GRADE_MIN_RUN_M = 5.0
#: Window of the running mean of positions before integrating distance (GPS jitter) [s].
POSITION_SMOOTHING_S = 3.0
#: Largest plausible grade (Minetti's data stop at ±0.45) [-].
GRADE_LIMIT = 0.5
#: Longest cleaned activity accepted [s] (7 days): guards memory against absurd timestamps.
MAX_RESAMPLED_S = 7 * 86400

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance [m] between points given in degrees (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def utc_ns_index(index) -> pd.DatetimeIndex:
    """``index`` as a UTC DatetimeIndex in nanoseconds (naive times are taken as UTC)."""
    index = pd.DatetimeIndex(index)
    index = index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
    return index.as_unit("ns").rename("timestamp")


def sort_and_deduplicate(frame: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Drop rows without time, sort by time, merge rows sharing a timestamp."""
    no_time = int(frame.index.isna().sum())
    frame = frame[frame.index.notna()]
    out_of_order = int((np.diff(frame.index.asi8) < 0).sum()) if len(frame) > 1 else 0
    frame = frame.sort_index(kind="stable")
    n = len(frame)
    if frame.index.has_duplicates:
        frame = frame.groupby(level=0, sort=False).first()
    duplicates = n - len(frame)
    report.add(
        "timestamps",
        no_time + duplicates,
        f"{no_time} rows without time dropped, {out_of_order} out of order sorted, "
        f"{duplicates} duplicated timestamps merged",
    )
    return frame


def split_sessions(
    frame: pd.DataFrame, report: CleaningReport, gap_s: float = SESSION_GAP_S
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Sessions as ``(start, end)`` pairs, split where recording stops for over ``gap_s``."""
    t = frame.index.asi8 / 1e9
    breaks = np.flatnonzero(np.diff(t) > gap_s)
    starts = np.r_[0, breaks + 1]
    ends = np.r_[breaks, len(t) - 1]
    sessions = [(frame.index[a], frame.index[b]) for a, b in zip(starts, ends, strict=True)]
    total = sum((b - a).total_seconds() for a, b in sessions)
    if total > MAX_RESAMPLED_S:
        raise ImplausibleDataError(
            None, f"recorded sessions span {total / 86400:.1f} days; limit 7 days"
        )
    report.add(
        "sessions",
        len(sessions),
        f"{len(sessions)} session(s); split at {len(breaks)} gap(s) longer than {gap_s:.0f} s",
    )
    return sessions


def remove_gps_jumps(
    frame: pd.DataFrame, report: CleaningReport, max_speed_mps: float = 12.5,
    max_accel_mps2: float = MAX_ACCEL_MPS2,
) -> pd.DataFrame:
    """Blank positions reached at an implausible speed or acceleration from the last
    accepted fix.

    A fix is rejected when the great-circle distance from the last accepted fix, divided by
    the time between them, exceeds ``max_speed_mps``, or when that speed differs from the
    speed into the last accepted fix by more than ``max_accel_mps2`` per second. After 30 s
    of consecutive rejections the track is re-anchored (so one bad first fix cannot erase
    the rest).
    """
    lat = frame["latitude"].to_numpy(dtype=float, copy=True)
    lon = frame["longitude"].to_numpy(dtype=float, copy=True)
    bad_range = (np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0))
    lat[bad_range] = np.nan
    lon[bad_range] = np.nan
    t = frame.index.asi8 / 1e9
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    rejected = []
    if len(valid) > 1:
        last = valid[0]
        last_speed = None
        first_reject_t = None
        for i in valid[1:]:
            dt = max(t[i] - t[last], 1.0)
            speed = haversine_m(lat[last], lon[last], lat[i], lon[i]) / dt
            jerky = last_speed is not None and abs(speed - last_speed) > max_accel_mps2 * dt
            if speed <= max_speed_mps and not jerky:
                last, last_speed = i, speed
                first_reject_t = None
                continue
            if first_reject_t is None:
                first_reject_t = t[i]
            if t[i] - first_reject_t > 30.0:  # persistent: the anchor was the bad one
                last, last_speed = i, None
                first_reject_t = None
                continue
            rejected.append(i)
    rejected = np.asarray(rejected, dtype=int)
    lat[rejected] = np.nan
    lon[rejected] = np.nan
    frame = frame.assign(latitude=lat, longitude=lon)
    report.add(
        "gps_jumps",
        len(rejected) + int(bad_range.sum()),
        f"{len(rejected)} positions implying > {max_speed_mps:g} m/s or > "
        f"{max_accel_mps2:g} m/s^2 removed, "
        f"{int(bad_range.sum())} out-of-range (or 0,0) positions removed",
    )
    return frame


def fill_distance(frame: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Keep the device distance, or integrate positions; make it non-decreasing."""
    d = frame["distance_m"]
    if d.notna().sum() >= 2:
        fixed = d.ffill().bfill().cummax()
        changed = int((fixed != d).sum())
        report.add("distance", changed, f"device distance kept; {changed} gaps/decreases fixed")
        return frame.assign(distance_m=fixed.to_numpy())
    lat = frame["latitude"].to_numpy()
    lon = frame["longitude"].to_numpy()
    ok = np.isfinite(lat) & np.isfinite(lon)
    dist = np.full(len(frame), np.nan)
    if ok.sum() >= 2:
        idx = np.flatnonzero(ok)
        # a short running mean takes out the GPS jitter that inflates integrated distance
        when = frame.index[idx]
        window = pd.Timedelta(seconds=POSITION_SMOOTHING_S)
        la = pd.Series(lat[idx], index=when).rolling(window, center=True, min_periods=1).mean()
        lo = pd.Series(lon[idx], index=when).rolling(window, center=True, min_periods=1).mean()
        la, lo = la.to_numpy(copy=True), lo.to_numpy(copy=True)
        # within half a window of either end the mean is one-sided and lags: it would pull
        # the first and last positions inward (the distance short by half a step, the
        # speed at each end low); there the positions stay as recorded
        seconds = (when - when[0]).total_seconds().to_numpy()
        edge = (seconds < POSITION_SMOOTHING_S / 2) | (seconds[-1] - seconds
                                                        < POSITION_SMOOTHING_S / 2)
        la[edge], lo[edge] = lat[idx][edge], lon[idx][edge]
        steps = haversine_m(la[:-1], lo[:-1], la[1:], lo[1:])
        dist[idx] = np.r_[0.0, np.cumsum(steps)]
        dist = pd.Series(dist).ffill().fillna(0.0).to_numpy()
        detail = (
            f"distance integrated from {ok.sum()} positions "
            f"(running mean over {POSITION_SMOOTHING_S:g} s)"
        )
    else:
        detail = "no distance and no positions: distance unknown"
    report.add("distance", int(ok.sum()), detail)
    return frame.assign(distance_m=dist)


def clean_heart_rate(frame: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Blank heart-rate dropouts (0, out of range) and spikes (far from a running median)."""
    hr = frame["heart_rate_bpm"].to_numpy(dtype=float, copy=True)
    low, high = HEART_RATE_RANGE_BPM
    dropouts = np.isfinite(hr) & ((hr < low) | (hr > high))
    hr[dropouts] = np.nan
    median = pd.Series(hr).rolling(9, center=True, min_periods=3).median().to_numpy()
    spikes = np.isfinite(hr) & np.isfinite(median) & (np.abs(hr - median) > HEART_RATE_SPIKE_BPM)
    hr[spikes] = np.nan
    report.add(
        "heart_rate",
        int(dropouts.sum() + spikes.sum()),
        f"{int(dropouts.sum())} dropouts/out-of-range (outside {low:g}-{high:g} bpm) and "
        f"{int(spikes.sum())} spikes (> {HEART_RATE_SPIKE_BPM:g} bpm from the 9-sample "
        "median) removed",
    )
    return frame.assign(heart_rate_bpm=hr)


def _interp(t_new, t, y, max_gap_s):
    ok = np.isfinite(y)
    if ok.sum() == 0:
        return np.full(len(t_new), np.nan)
    tv, yv = t[ok], y[ok]
    if len(tv) == 1:
        out = np.full(len(t_new), np.nan)
        out[np.abs(t_new - tv[0]) < 1e-6] = yv[0]
        return out
    out = np.interp(t_new, tv, yv, left=np.nan, right=np.nan)
    if max_gap_s is not None and np.isfinite(max_gap_s):
        j = np.clip(np.searchsorted(tv, t_new), 1, len(tv) - 1)
        gap = tv[j] - tv[j - 1]
        on_point = (np.abs(t_new - tv[j]) < 1e-6) | (np.abs(t_new - tv[j - 1]) < 1e-6)
        out[(gap > max_gap_s) & ~on_point] = np.nan
    return out


def resample_1hz(
    frame: pd.DataFrame,
    sessions: list[tuple[pd.Timestamp, pd.Timestamp]],
    report: CleaningReport,
) -> pd.DataFrame:
    """Resample to whole seconds within each session.

    Position, distance, elevation and temperature are interpolated linearly across any gap
    inside a session; heart rate, cadence, power and speed only across gaps up to
    ``MAX_INTERPOLATION_GAP_S`` (NaN beyond). Speed missing after that is taken from the
    derivative of distance.
    """
    t = frame.index.asi8 / 1e9
    pieces = []
    for start, end in sessions:
        a = np.ceil(start.value / 1e9)
        b = np.floor(end.value / 1e9)
        pieces.append(np.arange(a, b + 1.0))
    t_new = np.concatenate(pieces) if pieces else np.array([])
    out = {}
    for col in ("latitude", "longitude", "distance_m", "elevation_m", "temperature_c"):
        out[col] = _interp(t_new, t, frame[col].to_numpy(dtype=float), None)
    for col in ("heart_rate_bpm", "cadence_spm", "power_w", "speed_mps"):
        out[col] = _interp(t_new, t, frame[col].to_numpy(dtype=float), MAX_INTERPOLATION_GAP_S)
    index = pd.DatetimeIndex(pd.to_datetime(t_new, unit="s", utc=True), name="timestamp")
    res = pd.DataFrame(out, index=index.as_unit("ns"))
    # speed from distance where the device gave none (per session, centred difference)
    derived = np.full(len(res), np.nan)
    offset = 0
    for piece in pieces:
        n = len(piece)
        d = res["distance_m"].to_numpy()[offset:offset + n]
        if n >= 2:
            g = np.gradient(d)
            derived[offset:offset + n] = (
                pd.Series(g).rolling(5, center=True, min_periods=1).mean().to_numpy()
            )
        offset += n
    speed = res["speed_mps"].to_numpy(copy=True)
    missing = ~np.isfinite(speed)
    speed[missing] = derived[missing]
    res["speed_mps"] = np.clip(speed, 0.0, None)
    report.add(
        "resample",
        len(res),
        f"{len(frame)} records resampled to {len(res)} rows at 1 Hz; "
        f"{int(missing.sum())} speeds taken from distance",
    )
    return res


def _drifting_in_place(frame: pd.DataFrame) -> np.ndarray:
    """Samples whose position moves less than STATIONARY_RADIUS_M across a centred window
    of STATIONARY_WINDOW_S (1 Hz frame): standing still while GPS drift makes up a speed."""
    n = len(frame)
    lat = frame["latitude"].to_numpy(dtype=float)
    lon = frame["longitude"].to_numpy(dtype=float)
    half = STATIONARY_WINDOW_S // 2
    if n <= 2 * half or not np.isfinite(lat).any():
        return np.zeros(n, dtype=bool)
    i = np.arange(n)
    a = np.clip(i - half, 0, n - 1)
    b = np.clip(i + half, 0, n - 1)
    speed = frame["speed_mps"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        moved = haversine_m(lat[a], lon[a], lat[b], lon[b])
        # slow as well, so that a turnaround at running speed is not taken for a stop
        return (moved < STATIONARY_RADIUS_M) & (b - a >= 2 * half) & (speed < DRIFT_SPEED_MPS)


def mark_pauses(
    frame: pd.DataFrame,
    pauses: list[tuple[pd.Timestamp, pd.Timestamp]],
    report: CleaningReport,
    stationary_speed_mps: float = STATIONARY_SPEED_MPS,
) -> pd.DataFrame:
    """Add the boolean ``moving`` column (1 Hz frame): False in pause records and in
    stationary stretches of at least ``STATIONARY_MIN_S``."""
    n = len(frame)
    t = frame.index.asi8
    in_pause = np.zeros(n, dtype=bool)
    for a, b in pauses:
        in_pause |= (t >= a.value) & (t < b.value)
    speed = frame["speed_mps"].to_numpy()
    slow = ~(speed >= stationary_speed_mps)  # NaN speed counts as not moving
    slow |= _drifting_in_place(frame)
    # keep only runs of slow samples lasting at least STATIONARY_MIN_S
    stationary = np.zeros(n, dtype=bool)
    if n:
        edges = np.diff(np.r_[0, slow.astype(np.int8), 0])
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        for a, b in zip(starts, ends, strict=True):
            if b - a >= STATIONARY_MIN_S:
                stationary[a:b] = True
    moving = ~(in_pause | stationary)
    n_stops = int(np.sum(np.diff(np.r_[1, moving.astype(np.int8)]) == -1))
    report.add(
        "pauses",
        int((~moving).sum()),
        f"{int((~moving).sum())} s not moving in {n_stops} stop(s): {int(in_pause.sum())} s "
        f"in {len(pauses)} pause record(s), {int((stationary & ~in_pause).sum())} s "
        f"stationary (< {stationary_speed_mps:g} m/s, or within {STATIONARY_RADIUS_M:g} m over "
        f"{STATIONARY_WINDOW_S} s, for >= {STATIONARY_MIN_S} s)",
    )
    return frame.assign(moving=moving)


def centred_mean(x: np.ndarray, n: int) -> np.ndarray:
    """Running mean over ``n`` samples (odd) centred on each. Within ``n // 2`` samples of
    either end of a run of finite samples (the array's ends, or NaN, which stays NaN) the
    window shrinks to stay centred, down to the end sample as it is.

    A window cut short at an end instead (pandas' ``min_periods``) averages only the
    samples behind the end, and so lags wherever the signal trends there: at a log's last
    sample a 15-sample mean took that sample and the 7 before it, and on a race run down a
    1.3 % slope to the line it read the finish 0.2 m high; the course built from it ran a
    sixth less steeply over its last 100 m, and a fit of the race read the runner's
    reserve margin high by 0.01-0.03 (on noise-free simulated 5 km + half-marathon fits,
    against 0.00-0.005 with the true course). The price is noise: the end sample is as
    noisy as it was recorded (a line carried on through the last 100 m, as
    :meth:`governor.scenario.Course.smoothed` does, averages it out)."""
    if n < 1 or n % 2 == 0:
        raise ValueError(f"centred_mean: the window must be an odd number of samples, got {n}")
    x = np.asarray(x, dtype=float)
    m = x.size
    ok = np.isfinite(x)
    i = np.arange(m)
    # distance to the last NaN (or the start) before each sample, and to the next after
    last_bad = np.maximum.accumulate(np.where(~ok, i, -1))
    next_bad = np.minimum.accumulate(np.where(~ok, i, m)[::-1])[::-1]
    h = np.minimum(n // 2, np.minimum(i - last_bad - 1, next_bad - i - 1))
    h = np.maximum(h, 0)
    total = np.concatenate([[0.0], np.cumsum(np.where(ok, x, 0.0))])
    lo, hi = i - h, i + h + 1
    return np.where(ok, (total[hi] - total[lo]) / (hi - lo), np.nan)


def smooth_elevation_and_grade(frame: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Centred running mean of elevation (:func:`centred_mean`), then grade = rise / run
    over ±5 s."""
    elev = frame["elevation_m"]
    if elev.notna().sum() < 2:
        report.add("elevation", 0, "no elevation: grade left NaN")
        return frame.assign(grade=np.nan)
    smooth = centred_mean(elev.to_numpy(dtype=float), ELEVATION_WINDOW_S)
    h = GRADE_HALF_WINDOW_S
    dist = frame["distance_m"].to_numpy()
    grade = np.full(len(frame), np.nan)
    if len(frame) > 2 * h:
        rise = smooth[2 * h:] - smooth[: -2 * h]
        run = dist[2 * h:] - dist[: -2 * h]
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(run >= GRADE_MIN_RUN_M, rise / run, np.nan)
        grade[h:-h] = np.clip(g, -GRADE_LIMIT, GRADE_LIMIT)
    report.add(
        "elevation",
        int(np.isfinite(grade).sum()),
        f"elevation smoothed over {ELEVATION_WINDOW_S} s; grade over ±{h} s where the run "
        f"is >= {GRADE_MIN_RUN_M:g} m, clipped to ±{GRADE_LIMIT:g}",
    )
    return frame.assign(elevation_m=smooth, grade=grade)


def clean(
    frame: pd.DataFrame,
    *,
    pauses: list[tuple[pd.Timestamp, pd.Timestamp]] | None = None,
    sport: str | None = None,
    report: CleaningReport | None = None,
) -> tuple[pd.DataFrame, list[tuple[pd.Timestamp, pd.Timestamp]], CleaningReport]:
    """Run every cleaning step on a raw frame; return ``(frame_1hz, sessions, report)``."""
    report = report if report is not None else CleaningReport()
    frame = frame.set_axis(utc_ns_index(frame.index), axis=0)
    for c in COLUMNS:
        if c not in frame:
            frame = frame.assign(**{c: np.nan})
    frame = sort_and_deduplicate(frame, report)
    if len(frame) < 2:
        raise NoTimestampsError(None, f"only {len(frame)} timestamped record(s)")
    sessions = split_sessions(frame, report)
    max_speed = MAX_SPEED_MPS.get(sport or "", MAX_SPEED_MPS["default"])
    frame = remove_gps_jumps(frame, report, max_speed)
    frame = fill_distance(frame, report)
    frame = clean_heart_rate(frame, report)
    frame = resample_1hz(frame, sessions, report)
    frame = mark_pauses(frame, pauses or [], report)
    frame = smooth_elevation_and_grade(frame, report)
    return frame, sessions, report
