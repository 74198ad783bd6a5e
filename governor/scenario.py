"""Scenarios: where the runner runs, in what conditions, what they are told, and why.

Classes here hold configuration only; they validate it and pack it into arrays for the
compiled model. Two worlds (DESIGN §2): :class:`Course` and :class:`Environment` are the
truth the body lives in; :class:`Feedback` is what the brain is told. All defaults are
truthful, so the gap between the worlds is zero unless a field says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def _finite(name: str, value: float, lo: float = -math.inf, hi: float = math.inf) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v) or v < lo or v > hi:
        raise ValueError(f"{name} = {value!r} must be finite and within [{lo}, {hi}]")
    return v


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Course:
    """A course: an elevation profile by distance (flat by default).

    Parameters
    ----------
    distance_m
        Distances [m] at which ``elevation_m`` is given, strictly increasing from 0.
    elevation_m
        Elevation [m] at those distances. Between points the course is straight, so the
        grade is piecewise constant; beyond the last point it is flat.
    """

    distance_m: tuple[float, ...] = (0.0,)
    elevation_m: tuple[float, ...] = (0.0,)

    def __post_init__(self) -> None:
        d = np.asarray(self.distance_m, dtype=float).ravel()
        z = np.asarray(self.elevation_m, dtype=float).ravel()
        if d.size == 0 or d.size != z.size:
            raise ValueError(
                "Course: distance_m and elevation_m must be non-empty and of equal length"
            )
        if not (np.all(np.isfinite(d)) and np.all(np.isfinite(z))):
            raise ValueError("Course: distances and elevations must be finite")
        if d[0] != 0.0 or np.any(np.diff(d) <= 0):
            raise ValueError("Course: distance_m must start at 0 and strictly increase")
        g = np.diff(z) / np.diff(d) if d.size > 1 else np.zeros(0)
        if np.any(np.abs(g) > 0.45):
            raise ValueError("Course: a grade steeper than 45 % is outside the energetics model")
        object.__setattr__(self, "distance_m", tuple(map(float, d)))
        object.__setattr__(self, "elevation_m", tuple(map(float, z)))

    @classmethod
    def flat(cls) -> Course:
        """A flat course."""
        return cls()

    @classmethod
    def from_profile(cls, distance_m: Sequence[float], elevation_m: Sequence[float]) -> Course:
        """A course from an elevation profile (distances shifted to start at 0)."""
        d = np.asarray(distance_m, dtype=float)
        return cls(tuple(d - d[0]), tuple(np.asarray(elevation_m, dtype=float)))

    @classmethod
    def hill(cls, length_m: float, grade: float, start_m: float, total_m: float) -> Course:
        """A flat course of ``total_m`` with one straight climb (or descent) of ``length_m``
        at ``grade`` starting at ``start_m`` (0: from the start line) [m]."""
        if not (length_m > 0.0 and start_m >= 0.0):
            raise ValueError(f"Course.hill: length_m must be > 0 and start_m >= 0, got "
                             f"{length_m!r} and {start_m!r}")
        top = start_m + length_m
        d = [0.0, start_m, top, max(total_m, top + 1.0)]
        z = [0.0, 0.0, grade * length_m, grade * length_m]
        if start_m == 0.0:  # the climb starts at the line
            d, z = d[1:], z[1:]
        return cls(tuple(d), tuple(z))

    def grade_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(segment start distances [m], grade of each segment [-]); the last segment is
        flat and open-ended."""
        d = np.asarray(self.distance_m)
        z = np.asarray(self.elevation_m)
        if d.size == 1:
            return np.array([0.0]), np.array([0.0])
        g = np.diff(z) / np.diff(d)
        return np.append(d[:-1], d[-1]), np.append(g, 0.0)


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Environment:
    """Air conditions: temperature [degC], relative humidity [0-1] and headwind [m/s], and
    the clothing worn [clo].

    Each condition may be a constant or a sequence of values over ``time_s`` (linear
    interpolation, held constant outside). The headwind blows against the runner (negative:
    tailwind). ``clothing_clo`` is the insulation worn (ISO 9920: racing singlet and shorts
    ~0.1-0.2 clo, long sleeves and tights ~0.6, winter running kit ~1); the default 0 treats
    race kit as thermally bare, as the calibration to the heat studies does. Dress the
    runner for cold conditions, or the skin cools as bare skin would.
    """

    temperature_c: float | Sequence[float] = 20.0
    relative_humidity: float | Sequence[float] = 0.5
    wind_mps: float | Sequence[float] = 0.0
    time_s: Sequence[float] | None = None
    clothing_clo: float = 0.0

    def __post_init__(self) -> None:
        _finite("Environment.clothing_clo", self.clothing_clo, 0.0, 3.0)
        arrays = [np.atleast_1d(np.asarray(x, dtype=float)) for x in
                  (self.temperature_c, self.relative_humidity, self.wind_mps)]
        n = max(a.size for a in arrays)
        if n > 1:
            if self.time_s is None:
                raise ValueError("Environment: time_s is required when a condition varies")
            t = np.asarray(self.time_s, dtype=float)
            if t.size != n or np.any(np.diff(t) <= 0):
                raise ValueError("Environment: time_s must increase and match the varying values")
            for a, name in zip(arrays, ("temperature_c", "relative_humidity", "wind_mps"),
                               strict=True):
                if a.size not in (1, n):
                    raise ValueError(f"Environment: {name} has {a.size} values, expected {n}")
        for a, name, lo, hi in zip(arrays, ("temperature_c", "relative_humidity", "wind_mps"),
                                   (-30.0, 0.0, -30.0), (50.0, 1.0, 30.0), strict=True):
            if not np.all(np.isfinite(a)) or np.any(a < lo) or np.any(a > hi):
                raise ValueError(f"Environment: {name} must be within [{lo}, {hi}]")

    def arrays(self) -> np.ndarray:
        """Packed table [time_s, temperature_c, relative_humidity, wind_mps] by row."""
        temp = np.atleast_1d(np.asarray(self.temperature_c, dtype=float))
        rh = np.atleast_1d(np.asarray(self.relative_humidity, dtype=float))
        wind = np.atleast_1d(np.asarray(self.wind_mps, dtype=float))
        n = max(temp.size, rh.size, wind.size)
        t = np.zeros(1) if n == 1 else np.asarray(self.time_s, dtype=float)
        out = np.empty((n, 4))
        out[:, 0] = t
        out[:, 1] = np.broadcast_to(temp, n)
        out[:, 2] = np.broadcast_to(rh, n)
        out[:, 3] = np.broadcast_to(wind, n)
        return out

    def temperature_at(self, time_s: float) -> float:
        a = self.arrays()
        return float(np.interp(time_s, a[:, 0], a[:, 1]))


# ----------------------------------------------------------------------------------------
#: Feedback fields that may change during an effort, in the packed column order.
FEEDBACK_FIELDS = (
    "distance_scale",
    "believed_distance_m",
    "believed_duration_s",
    "endpoint_known",
    "clock_rate",
    "told_temperature_c",
    "core_temp_offset_c",
    "pacer_factor",
)


@dataclass(frozen=True)
class Feedback:
    """What the runner is told. Every default is the truth.

    Parameters
    ----------
    distance_scale
        Displayed distance = scale x true distance [-] (1.1: the watch reads 10 % long).
    believed_distance_m
        Total distance the runner believes they must cover [m]; None: the true distance.
    believed_duration_s
        Duration the runner believes the effort lasts [s]; None: the true duration (timed
        efforts) or nothing (open-ended efforts).
    endpoint_known
        False: the runner is not told where the effort ends (Mauger et al. 2009).
    clock_rate
        Perceived seconds per true second [-] (a clock running fast or slow).
    told_temperature_c
        Air temperature the runner is told [degC]; None: the true one.
    core_temp_offset_c
        Added to the core temperature shown to the runner [degC].
    pacer_factor
        A pacer the runner believes matches their best, actually running at this factor of
        the runner's best speed (1.02: 2 % faster). None: no pacer. Races only.
    changes
        ``((time_s, {field: value}), ...)``: from ``time_s`` on, these fields take new values
        (e.g. told 10 min, then another 10: ``((600, {"believed_duration_s": 1200}),)``).
    """

    distance_scale: float = 1.0
    believed_distance_m: float | None = None
    believed_duration_s: float | None = None
    endpoint_known: bool = True
    clock_rate: float = 1.0
    told_temperature_c: float | None = None
    core_temp_offset_c: float = 0.0
    pacer_factor: float | None = None
    changes: tuple[tuple[float, Mapping[str, Any]], ...] = field(default=())

    def __post_init__(self) -> None:
        self._check_values(self._base_values(), "Feedback")
        last = -math.inf
        for item in self.changes:
            try:
                time_s, updates = item
            except (TypeError, ValueError):
                raise ValueError(
                    "Feedback.changes items must be (time_s, {field: value})"
                ) from None
            t = _finite("Feedback.changes time_s", time_s, 0.0)
            if t <= last:
                raise ValueError("Feedback.changes must be in increasing time order")
            last = t
            if not isinstance(updates, Mapping) or not updates:
                raise ValueError("Feedback.changes: each change needs a non-empty {field: value}")
            unknown = set(updates) - set(FEEDBACK_FIELDS)
            if unknown:
                raise ValueError(
                    f"Feedback.changes: unknown field(s) {sorted(unknown)}; "
                    f"changeable: {', '.join(FEEDBACK_FIELDS)}"
                )
            values = self._base_values()
            values.update(updates)
            self._check_values(values, f"Feedback.changes at {t:g} s")

    def _base_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FEEDBACK_FIELDS}

    @staticmethod
    def _check_values(v: Mapping[str, Any], where: str) -> None:
        _finite(f"{where}: distance_scale", v["distance_scale"], 0.5, 2.0)
        _finite(f"{where}: clock_rate", v["clock_rate"], 0.5, 2.0)
        _finite(f"{where}: core_temp_offset_c", v["core_temp_offset_c"], -3.0, 3.0)
        if v["believed_distance_m"] is not None:
            _finite(f"{where}: believed_distance_m", v["believed_distance_m"], 1.0, 500_000.0)
        if v["believed_duration_s"] is not None:
            _finite(f"{where}: believed_duration_s", v["believed_duration_s"], 1.0, 172_800.0)
        if v["told_temperature_c"] is not None:
            _finite(f"{where}: told_temperature_c", v["told_temperature_c"], -30.0, 50.0)
        if v["pacer_factor"] is not None:
            _finite(f"{where}: pacer_factor", v["pacer_factor"], 0.8, 1.25)
        if not isinstance(v["endpoint_known"], bool | np.bool_):
            raise ValueError(f"{where}: endpoint_known must be True or False")

    @property
    def is_truthful(self) -> bool:
        """True when nothing the runner is told differs from the truth."""
        return self == Feedback()

    def segments(self) -> list[tuple[float, dict[str, Any]]]:
        """The feedback in force from each change time on, starting at 0."""
        out = [(0.0, self._base_values())]
        for time_s, updates in self.changes:
            values = dict(out[-1][1])
            values.update(updates)
            out.append((float(time_s), values))
        return out


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Modifiers:
    """Changes to the runner's state of mind and nervous system.

    Parameters
    ----------
    afferent_gain
        Scales the physiological afferent signals the brain receives [-]; below 1 is
        afferent blockade (Amann et al. 2009, intrathecal fentanyl).
    mental_fatigue
        Offset added to perceived exertion [CR10] (Marcora et al. 2009).
    experience
        Number of previous maximal efforts of similar length [-]; 0 is a naive runner.
        The default, 10, is a runner well practised at the effort.
    governor
        False switches the governor off: recruitment is then all that the reserve allows
        (maximal efforts) or what the imposed pace needs (time to exhaustion), with no
        reserve held, no thermal plan and no perceptual template. For analytic checks.
    """

    afferent_gain: float = 1.0
    mental_fatigue: float = 0.0
    experience: float = 10.0
    governor: bool = True

    def __post_init__(self) -> None:
        _finite("Modifiers.afferent_gain", self.afferent_gain, 0.0, 3.0)
        _finite("Modifiers.mental_fatigue", self.mental_fatigue, -3.0, 5.0)
        _finite("Modifiers.experience", self.experience, 0.0, 1000.0)
        if not isinstance(self.governor, bool | np.bool_):
            raise ValueError("Modifiers.governor must be True or False")


# ----------------------------------------------------------------------------------------
# Protocols. ``kind`` codes are shared with the compiled model.
RACE, TIME_TRIAL, TIME_TO_EXHAUSTION, FIXED_RPE, TRAINING = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Race:
    """Cover ``distance_m`` as fast as possible. Ends at the finish line, or at
    ``time_limit_s`` (default: the distance at 1 m/s, plus 10 min)."""

    distance_m: float
    time_limit_s: float | None = None
    kind = RACE

    def __post_init__(self) -> None:
        _finite("Race.distance_m", self.distance_m, 10.0, 500_000.0)
        if self.time_limit_s is not None:
            _finite("Race.time_limit_s", self.time_limit_s, 1.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.time_limit_s or self.distance_m / 1.0 + 600.0


@dataclass(frozen=True)
class TimeTrial:
    """Cover as much distance as possible in ``duration_s``."""

    duration_s: float
    kind = TIME_TRIAL

    def __post_init__(self) -> None:
        _finite("TimeTrial.duration_s", self.duration_s, 10.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.duration_s


@dataclass(frozen=True)
class TimeToExhaustion:
    """Hold an imposed ``speed_mps`` (a treadmill) until the runner stops: exhausted when the
    reserve's ceiling falls below the demand, or stopped when perceived exertion runs more
    than the tolerance ahead of the template for the believed elapsed fraction."""

    speed_mps: float
    grade: float = 0.0
    time_limit_s: float = 4 * 3600.0
    kind = TIME_TO_EXHAUSTION

    def __post_init__(self) -> None:
        _finite("TimeToExhaustion.speed_mps", self.speed_mps, 0.5, 12.0)
        _finite("TimeToExhaustion.grade", self.grade, -0.45, 0.45)
        _finite("TimeToExhaustion.time_limit_s", self.time_limit_s, 1.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.time_limit_s


@dataclass(frozen=True)
class FixedRPE:
    """Self-select speed to hold perceived exertion at ``rpe`` [CR10] (an RPE clamp), until
    speed falls below ``stop_fraction`` of its value at ``settle_s`` or ``duration_s``
    passes."""

    rpe: float
    duration_s: float = 3600.0
    stop_fraction: float = 0.7
    settle_s: float = 120.0
    kind = FIXED_RPE

    def __post_init__(self) -> None:
        _finite("FixedRPE.rpe", self.rpe, 0.5, 10.0)
        _finite("FixedRPE.duration_s", self.duration_s, 10.0, 172_800.0)
        _finite("FixedRPE.stop_fraction", self.stop_fraction, 0.0, 0.99)
        _finite("FixedRPE.settle_s", self.settle_s, 1.0, 3600.0)
        if self.settle_s >= self.duration_s:
            raise ValueError("FixedRPE: settle_s must be shorter than duration_s")

    @property
    def limit_s(self) -> float:
        return self.duration_s


@dataclass(frozen=True)
class Segment:
    """One part of a training session: ``duration_s`` at a target RPE [CR10] or a target
    speed [m/s on the flat; grade-adjusted on hills] (exactly one of the two)."""

    duration_s: float
    target_rpe: float | None = None
    target_speed_mps: float | None = None

    def __post_init__(self) -> None:
        _finite("Segment.duration_s", self.duration_s, 1.0, 172_800.0)
        if (self.target_rpe is None) == (self.target_speed_mps is None):
            raise ValueError("Segment: give exactly one of target_rpe or target_speed_mps")
        if self.target_rpe is not None:
            _finite("Segment.target_rpe", self.target_rpe, 0.0, 10.0)
        if self.target_speed_mps is not None:
            _finite("Segment.target_speed_mps", self.target_speed_mps, 0.0, 12.0)


@dataclass(frozen=True)
class Training:
    """A submaximal session with an intent: a sequence of :class:`Segment` (target RPE or
    target pace each). The governor still caps recruitment by the reserve's ceiling, but
    holds no race plan. Use :meth:`steady` or :meth:`intervals` for common sessions."""

    segments: tuple[Segment, ...]
    kind = TRAINING

    def __post_init__(self) -> None:
        segs = tuple(self.segments)
        if not segs or not all(isinstance(s, Segment) for s in segs):
            raise ValueError("Training: segments must be a non-empty sequence of Segment")
        object.__setattr__(self, "segments", segs)

    @classmethod
    def steady(cls, duration_s: float, *, target_rpe: float | None = None,
               target_speed_mps: float | None = None) -> Training:
        """One steady segment."""
        return cls((Segment(duration_s, target_rpe, target_speed_mps),))

    @classmethod
    def intervals(cls, reps: int, work_s: float, rest_s: float, *,
                  work_speed_mps: float | None = None, work_rpe: float | None = None,
                  rest_rpe: float = 1.5, warmup_s: float = 600.0, cooldown_s: float = 600.0,
                  easy_rpe: float = 2.5) -> Training:
        """Warm-up, ``reps`` x (work, rest), cool-down."""
        if int(reps) < 1:
            raise ValueError("Training.intervals: reps must be at least 1")
        segs = [Segment(warmup_s, target_rpe=easy_rpe)] if warmup_s > 0 else []
        for i in range(int(reps)):
            segs.append(Segment(work_s, target_rpe=work_rpe, target_speed_mps=work_speed_mps))
            if i < int(reps) - 1:
                segs.append(Segment(rest_s, target_rpe=rest_rpe))
        if cooldown_s > 0:
            segs.append(Segment(cooldown_s, target_rpe=easy_rpe))
        return cls(tuple(segs))

    @property
    def limit_s(self) -> float:
        return float(sum(s.duration_s for s in self.segments))


Protocol = Race | TimeTrial | TimeToExhaustion | FixedRPE | Training

__all__ = [
    "Course", "Environment", "Feedback", "Modifiers", "Race", "TimeTrial",
    "TimeToExhaustion", "FixedRPE", "Training", "Segment", "Protocol", "FEEDBACK_FIELDS",
]
