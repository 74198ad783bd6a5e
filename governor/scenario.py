"""Scenarios: where the runner runs, in what conditions, what they are told, and why.

Classes here hold configuration; they validate it and say what the compiled model packs
for it. Two worlds (``docs/model.md``): :class:`Course` and :class:`Environment` are the
truth the body lives in; :class:`Feedback` is what the brain is told, one field for each
channel declared in :data:`CHANNELS`. Each protocol carries its behaviour: its command
rule, how it ends, what it refuses. All defaults are
truthful, so the gap between the worlds is zero unless a field says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
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
        grade is piecewise constant; beyond the last point it is flat. The model takes the
        grade under the runner as its mean over the 10 m around them
        (``governor.model.GRADE_WINDOW_M``), so a change of grade is run into over a
        few steps.
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

    @classmethod
    def smoothed(cls, distance_m, elevation_m) -> Course:
        """A course from a recorded or drawn profile, smoothed as fitting smooths a log:
        elevation by distance through a 70 m running median, then a 110 m running mean,
        kept every 50 m and at its end, grades clipped to ±40 %; each end carried on by the
        straight line through its last 100 m, so the windows stay centred there; flat where
        there is no elevation or the profile is shorter than 100 m.

        Smoothing matters: the cost of running is convex in grade (Minetti et al. 2002),
        so noise in the elevation makes a course that costs more than the real one.
        """
        import pandas as pd

        distance = np.asarray(distance_m, dtype=float)
        elevation = np.asarray(elevation_m, dtype=float)
        ok = np.isfinite(elevation) & np.isfinite(distance)
        if not ok.any() or np.nanmax(distance) < 100.0:
            return cls()
        order = np.argsort(distance[ok], kind="stable")
        # distance from the start of the run, even where the elevation starts later (flat
        # before its first reading)
        d_ok = distance[ok][order] - float(np.nanmin(distance))
        z_ok = elevation[ok][order]
        span = float(d_ok[-1])
        if span < 100.0:
            return cls()
        fine = np.linspace(0.0, span, int(np.ceil(span / 10.0)) + 1)  # ~10 m apart
        z = np.interp(fine, d_ok, z_ok)
        # each end carried on by the straight line through its last 100 m, for the windows
        # to stay centred there: a window cut short at an end averages only the profile
        # behind it, and flattens a climb or descent that runs to the finish (the line, not
        # the last point alone, so that one noisy reading does not tilt the end)
        pad = 10
        if z.size > pad:
            steps = np.arange(1.0, pad + 1.0)
            head = np.polyfit(np.arange(pad + 1.0), z[:pad + 1], 1)
            tail = np.polyfit(np.arange(pad + 1.0), z[-pad - 1:], 1)
            z = np.r_[np.polyval(head, -steps[::-1]), z, np.polyval(tail, pad + steps)]
        else:
            pad = 0
        z = pd.Series(z).rolling(7, center=True, min_periods=1).median()
        z = z.rolling(11, center=True, min_periods=1).mean().to_numpy()[pad:pad + fine.size]
        # kept every 50 m, and at the end: a profile that stopped short would leave the
        # last tens of metres flat
        keep = np.unique(np.r_[np.arange(0, fine.size, 5), fine.size - 1])
        grid = fine[keep]
        zg = z[keep]
        g = np.clip(np.diff(zg) / np.diff(grid), -0.4, 0.4)
        zg = np.concatenate([[zg[0]], zg[0] + np.cumsum(g * np.diff(grid))])
        return cls.from_profile(grid, zg)

    @classmethod
    def from_log(cls, activity_or_path) -> Course:
        """The course of a GPX route or track (times not needed), of any log
        :func:`~governor.io.read_log` reads, or of an :class:`~governor.io.Activity`
        already read: its elevation by distance, smoothed (:meth:`smoothed`). Elevation
        starts at the file's own first value. Raises :class:`~governor.io.LogError`
        naming the file when it holds no course."""
        if hasattr(activity_or_path, "columns"):
            frame = activity_or_path
        else:
            from governor.io.route import read_route

            frame = read_route(activity_or_path)
        if "distance_m" not in frame or "elevation_m" not in frame:
            raise ValueError("Course.from_log: the activity has no distance_m and elevation_m")
        return cls.smoothed(frame["distance_m"].to_numpy(dtype=float),
                            frame["elevation_m"].to_numpy(dtype=float))

    @property
    def length_m(self) -> float:
        """Distance [m] over which the profile is given."""
        return float(self.distance_m[-1])

    @property
    def climb_m(self) -> float:
        """Total ascent [m] of the profile."""
        return float(np.sum(np.clip(np.diff(self.elevation_m), 0.0, None)))

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
#: The conditions of :class:`Environment` that may vary over time, in its packed order.
_CONDITIONS = ("temperature_c", "relative_humidity", "wind_mps", "solar_w_m2")
#: Irradiance on the runner [W/m^2] for a forecast's sky (our round values, see
#: :meth:`Environment.from_forecast`).
_SKY_W_M2 = {"clear": 800.0, "sunny": 800.0, "partly": 400.0, "overcast": 100.0,
             "cloudy": 100.0, "night": 0.0, "shade": 0.0}
#: Wind at 1.5 m over wind at 10 m on open ground: ln(1.5/0.03) / ln(10/0.03), the
#: logarithmic wind profile with a roughness length of 0.03 m.
WIND_HEIGHT_FACTOR = math.log(1.5 / 0.03) / math.log(10.0 / 0.03)


@dataclass(frozen=True)
class Environment:
    """Air conditions: temperature [degC], relative humidity [0-1], headwind [m/s] and the
    sun [W/m^2], and the clothing worn [clo].

    Each condition may be a constant or a sequence of values over ``time_s`` (linear
    interpolation, held constant outside). The headwind blows against the runner (negative:
    tailwind). ``solar_w_m2`` is the radiant load on the runner: the irradiance of direct
    sunlight on a plane facing the sun (0-6000 W/m^2; about 800-1000 under a clear sky at midday,
    0 in shade, at night or indoors), or of a heat lamp; the skin absorbs a fraction of it
    (:func:`governor.physiology.thermal.absorbed_radiant_w`). Weather services that give
    global horizontal irradiance give a close figure when the sun is high.
    ``clothing_clo`` is the insulation worn (ISO 9920: racing singlet and shorts
    ~0.1-0.2 clo, long sleeves and tights ~0.6, winter running kit ~1); the default 0 treats
    race kit as thermally bare, as the calibration to the heat studies does. Dress the
    runner for cold conditions, or the skin cools as bare skin would.
    """

    temperature_c: float | Sequence[float] = 20.0
    relative_humidity: float | Sequence[float] = 0.5
    wind_mps: float | Sequence[float] = 0.0
    time_s: Sequence[float] | None = None
    clothing_clo: float = 0.0
    solar_w_m2: float | Sequence[float] = 0.0

    def __post_init__(self) -> None:
        _finite("Environment.clothing_clo", self.clothing_clo, 0.0, 3.0)
        arrays = [np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
                  for name in _CONDITIONS]
        n = max(a.size for a in arrays)
        if n > 1:
            if self.time_s is None:
                raise ValueError("Environment: time_s is required when a condition varies")
            t = np.asarray(self.time_s, dtype=float)
            if t.size != n or np.any(np.diff(t) <= 0):
                raise ValueError("Environment: time_s must increase and match the varying values")
            for a, name in zip(arrays, _CONDITIONS, strict=True):
                if a.size not in (1, n):
                    raise ValueError(f"Environment: {name} has {a.size} values, expected {n}")
        for a, name, lo, hi in zip(arrays, _CONDITIONS, (-30.0, 0.0, -30.0, 0.0),
                                   (50.0, 1.0, 30.0, 6000.0), strict=True):
            if not np.all(np.isfinite(a)) or np.any(a < lo) or np.any(a > hi):
                raise ValueError(f"Environment: {name} must be within [{lo}, {hi}]")

    @classmethod
    def from_forecast(cls, temperature_c: float, *, humidity: float = 0.5,
                      wind_kmh: float = 0.0, sky: str | float = "overcast",
                      finish_temperature_c: float | None = None,
                      duration_s: float | None = None,
                      warming_c_per_h: float | None = None,
                      clothing_clo: float = 0.0) -> Environment:
        """Conditions from a weather forecast, as a runner reads one.

        Parameters
        ----------
        temperature_c
            Air temperature at the start [degC].
        humidity
            Relative humidity, as a fraction (0.6) or in per cent (60).
        wind_kmh
            Forecast wind speed [km/h], at the standard 10 m height and from no particular
            direction. It is brought to a runner's height (1.5 m) by the logarithmic
            wind profile over open ground (roughness length 0.03 m; factor 0.67), then
            taken as the steady headwind that costs the same on average over all
            directions on a loop: air drag goes as (v + w cos θ)², whose mean over θ is
            v² + w²/2 (v = 4 m/s taken for the runner). A wind from one side on a
            point-to-point course costs more; give ``wind_mps`` to the constructor then.
        sky
            ``"clear"`` (full sun, 800 W/m² on the runner), ``"partly"`` (400),
            ``"overcast"`` (100) or ``"night"`` (0), or the irradiance itself [W/m²]:
            the irradiance of direct sun on a plane facing it, about 800-1000 W/m² under a
            clear sky at midday (our round values for the words).
        finish_temperature_c, duration_s
            A start-to-finish change (a morning warming up): the temperature at the
            finish [degC] and the expected race time [s], linear between.
        warming_c_per_h
            The same change as a rate [degC/h], with no duration needed.
        clothing_clo
            Clothing insulation [clo] (see the class docstring).
        """
        rh = float(humidity) / 100.0 if float(humidity) > 1.0 else float(humidity)
        if isinstance(sky, str):
            try:
                sun = _SKY_W_M2[sky.strip().lower()]
            except KeyError:
                raise ValueError(f"Environment.from_forecast: sky must be one of "
                                 f"{', '.join(_SKY_W_M2)} or W/m², not {sky!r}") from None
        else:
            sun = float(sky)
        w = _finite("Environment.from_forecast: wind_kmh", wind_kmh, 0.0, 150.0) / 3.6
        w_runner = WIND_HEIGHT_FACTOR * w
        v = 4.0
        headwind = math.sqrt(v ** 2 + 0.5 * w_runner ** 2) - v
        if finish_temperature_c is not None and warming_c_per_h is not None:
            raise ValueError("Environment.from_forecast: give finish_temperature_c with "
                             "duration_s, or warming_c_per_h, not both")
        if finish_temperature_c is not None:
            if duration_s is None or not duration_s > 0:
                raise ValueError("Environment.from_forecast: finish_temperature_c needs "
                                 "duration_s, the expected race time [s]")
            return cls(temperature_c=(float(temperature_c), float(finish_temperature_c)),
                       relative_humidity=rh, wind_mps=headwind,
                       time_s=(0.0, float(duration_s)), clothing_clo=clothing_clo,
                       solar_w_m2=sun)
        if warming_c_per_h is not None:
            hours = 8.0
            return cls(temperature_c=(float(temperature_c),
                                      float(temperature_c) + float(warming_c_per_h) * hours),
                       relative_humidity=rh, wind_mps=headwind, time_s=(0.0, hours * 3600.0),
                       clothing_clo=clothing_clo, solar_w_m2=sun)
        return cls(temperature_c=float(temperature_c), relative_humidity=rh,
                   wind_mps=headwind, clothing_clo=clothing_clo, solar_w_m2=sun)

    def arrays(self) -> np.ndarray:
        """Packed table by row: time_s, then the conditions (temperature_c,
        relative_humidity, wind_mps, solar_w_m2)."""
        values = [np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
                  for name in _CONDITIONS]
        n = max(v.size for v in values)
        out = np.empty((n, 1 + len(values)))
        out[:, 0] = np.zeros(1) if n == 1 else np.asarray(self.time_s, dtype=float)
        for j, v in enumerate(values):
            out[:, 1 + j] = np.broadcast_to(v, n)
        return out

    def temperature_at(self, time_s: float) -> float:
        a = self.arrays()
        return float(np.interp(time_s, a[:, 0], a[:, 1]))


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sweep:
    """How :func:`governor.studies.truth_vs_deception` sizes a deception on a channel.

    ``size`` is in the sweep's own unit: ``truth`` is the size that tells the truth,
    ``low``/``high``/``step`` a sensible range (for sliders) and ``default`` a deception of
    the size studied in the literature. ``size_is`` says how a size becomes the channel's
    value: ``"value"`` (the size is the value), ``"offset_from_air"`` (the true air
    temperature plus the size), ``"times_distance"`` / ``"times_duration"`` (the size times
    the protocol's distance or duration) or ``"not"`` (a 0/1 size; 1 sets the flag false).
    ``timed``, ``hot`` and ``naive`` choose the default protocol (a 30-min time trial),
    environment (a hot day) and runner (no previous trials) of the comparison.
    """

    name: str
    label: str
    unit: str
    truth: float
    low: float
    high: float
    step: float
    default: float
    meaning: str
    size_is: str = "value"
    timed: bool = False
    hot: bool = False
    naive: bool = False


@dataclass(frozen=True)
class Channel:
    """One feedback channel: one thing the runner can be told, declared once.

    Everything else is derived from these declarations: the :class:`Feedback` checks, the
    columns of the compiled model's feedback table, the protocols a channel is accepted
    for, the ``governor simulate`` flags and the studies' list of deceptions.

    Attributes
    ----------
    name
        The :class:`Feedback` field.
    unit
        Its unit (``"-"`` for a ratio, ``"bool"`` for a flag, ``"m"`` for positions).
    truth
        The value that tells the truth (the field's default).
    low, high
        Bounds of a value (a number, or each position).
    form
        ``"number"``, ``"optional"`` (a number or None: None is the truth), ``"flag"``
        (True or False) or ``"positions"`` (a sequence of distances [m]).
    protocols
        Names of the protocols the channel applies to; empty: every protocol. A scenario
        that sets the channel away from the truth for another protocol is refused.
    changeable
        Whether :attr:`Feedback.changes` may change it during an effort.
    flag, metavar, help
        The ``governor simulate`` option (a flag of a ``"flag"`` channel sets the value
        opposite to the truth); no flag: not on the command line.
    sweep
        How the studies' comparison of truth and deception sizes it; None: not offered.
    """

    name: str
    unit: str
    truth: Any
    low: float = -math.inf
    high: float = math.inf
    form: str = "number"
    protocols: tuple[str, ...] = ()
    changeable: bool = True
    flag: str | None = None
    metavar: str | None = None
    help: str = ""
    sweep: Sweep | None = None

    def applies_to(self, protocol: object) -> bool:
        """Whether the channel applies to ``protocol``."""
        return not self.protocols or type(protocol).__name__ in self.protocols

    def check(self, value: Any, where: str) -> Any:
        """``value`` checked against the declaration (ValueError naming ``where``)."""
        label = f"{where}: {self.name}"
        if self.form == "flag":
            if not isinstance(value, bool | np.bool_):
                raise ValueError(f"{label} must be True or False")
            return bool(value)
        if self.form == "optional" and value is None:
            return None
        if self.form == "positions":
            try:
                x = np.asarray(value, dtype=float).ravel()
            except (TypeError, ValueError):
                raise ValueError(f"{label} must be a sequence of distances [m]") from None
            if not (np.all(np.isfinite(x)) and np.all(x >= self.low) and np.all(x <= self.high)):
                raise ValueError(f"{label} must be finite and within [{self.low}, {self.high}]")
            if np.any(np.diff(x) <= 0.0):
                raise ValueError(f"{label} must strictly increase")
            return tuple(map(float, x))
        return _finite(label, value, self.low, self.high)

    def is_truth(self, value: Any) -> bool:
        """Whether ``value`` tells the truth."""
        return value == self.truth


def _protocols(*names: str) -> tuple[str, ...]:
    return names


#: The feedback channels. Each is a field of :class:`Feedback`; see :class:`Channel`.
CHANNELS: tuple[Channel, ...] = (
    Channel("distance_scale", "-", 1.0, 0.5, 2.0, flag="--distance-scale", metavar="F",
            help="displayed distance = F x true distance",
            sweep=Sweep("distance_scale", "displayed distance", "×", 1.0, 0.9, 1.1, 0.01, 1.05,
                        "displayed distance / true distance (1.05: the watch reads 5 % long)")),
    Channel("believed_distance_m", "m", None, 1.0, 500_000.0, form="optional",
            protocols=_protocols("Race"), flag="--believed-distance", metavar="METRES",
            help="races: the distance the runner believes they must cover [m]",
            sweep=Sweep("believed_distance", "believed race distance", "×", 1.0, 0.8, 1.3,
                        0.05, 1.2, "believed total distance / true distance (1.2: told 12 km "
                        "for a 10 km race)", size_is="times_distance")),
    Channel("believed_duration_s", "s", None, 1.0, 172_800.0, form="optional",
            protocols=_protocols("TimeTrial", "TimeToExhaustion"),
            flag="--believed-duration", metavar="SECONDS",
            help="time trials and time to exhaustion: how long the runner believes the "
                 "effort lasts [s]",
            sweep=Sweep("believed_duration", "believed duration", "×", 1.0, 0.8, 1.5, 0.05,
                        1.2, "believed duration / true duration of a time trial",
                        size_is="times_duration", timed=True)),
    Channel("endpoint_known", "bool", True, form="flag",
            protocols=_protocols("Race", "TimeTrial"), flag="--unknown-endpoint",
            help="race or time trial: the runner is not told where it ends",
            sweep=Sweep("unknown_endpoint", "unknown endpoint", "0/1", 0.0, 0.0, 1.0, 1.0,
                        1.0, "1: the runner is not told where the effort ends (Mauger "
                        "2009); 0: told", size_is="not", naive=True)),
    Channel("distance_display", "bool", True, form="flag", protocols=_protocols("Race"),
            flag="--no-distance-display",
            help="races: no distance is shown; the runner knows the total but judges what "
                 "is done by dead reckoning",
            sweep=Sweep("no_distance_display", "no distance display", "0/1", 0.0, 0.0, 1.0,
                        1.0, 1.0, "1: the distance done is not shown (Micklewright 2010's "
                        "blind trial); 0: shown", size_is="not")),
    Channel("clock_rate", "-", 1.0, 0.5, 2.0, flag="--clock-rate", metavar="F",
            help="perceived seconds per true second",
            sweep=Sweep("clock_rate", "clock rate", "×", 1.0, 0.8, 1.2, 0.01, 1.1,
                        "perceived seconds per true second (1.1: the clock runs 10 % fast)",
                        timed=True)),
    Channel("told_temperature_c", "degC", None, -30.0, 50.0, form="optional",
            flag="--told-temperature", metavar="C",
            help="air temperature the runner is told [°C]",
            sweep=Sweep("told_temperature", "told air temperature", "°C", 0.0, -10.0, 10.0,
                        0.5, -5.6, "told air temperature minus the true one (Castle 2012: "
                        "−5.6 °C)", size_is="offset_from_air", hot=True)),
    Channel("core_temp_offset_c", "degC", 0.0, -3.0, 3.0, flag="--core-temp-offset",
            metavar="C", help="added to the core temperature shown to the runner [°C]",
            sweep=Sweep("core_temp_offset", "displayed core temperature", "°C", 0.0, -1.0,
                        1.0, 0.05, -0.3, "displayed core temperature minus the true one "
                        "(Castle 2012: −0.3 °C)", hot=True)),
    Channel("pacer_factor", "-", None, 0.8, 1.25, form="optional",
            protocols=_protocols("Race"), changeable=False, flag="--pacer-factor",
            metavar="F",
            help="races: a pacer believed to match the runner's best, actually this factor "
                 "faster (e.g. 1.02)",
            sweep=Sweep("pacer_factor", "pacer", "×", 1.0, 0.95, 1.1, 0.01, 1.02,
                        "speed of a pacer believed to be the runner's best / that best "
                        "(Stone 2012: 1.02, 1.05); the truth is no pacer")),
    Channel("km_markers_m", "m", (), 1.0, 500_000.0, form="positions",
            protocols=_protocols("Race"), changeable=False, flag="--km-markers",
            metavar="METRES",
            help="races: the true positions [m] of the markers that say 1 km, 2 km, ...: "
                 "passing marker k the runner believes k km are done, and judges the "
                 "distance since from the displayed speed"),
)
CHANNEL = {c.name: c for c in CHANNELS}
#: Channels with one number per feedback row (flags as 1/0, None as NaN), in the column
#: order of the compiled model's feedback table.
FEEDBACK_FIELDS = tuple(c.name for c in CHANNELS if c.form != "positions")


@dataclass(frozen=True)
class Feedback:
    """What the runner is told. Every default is the truth.

    The fields are the channels of :data:`CHANNELS`, where each one's unit, bounds and
    protocols are declared.

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
    distance_display
        False: no distance is shown during a race; the runner knows the total but judges
        what is done by dead reckoning, an estimate whose error grows with the distance
        (Micklewright et al. 2010's blind trial). Races only.
    clock_rate
        Perceived seconds per true second [-] (a clock running fast or slow).
    told_temperature_c
        Air temperature the runner is told [degC]; None: the true one.
    core_temp_offset_c
        Added to the core temperature shown to the runner [degC].
    pacer_factor
        A pacer the runner believes matches their best, actually running at this factor of
        the runner's best speed (1.02: 2 % faster). None: no pacer. Races only.
    km_markers_m
        True positions [m] of split markers that say "1 km", "2 km", ...; empty: the
        displayed distance is the only distance feedback. Passing marker ``k`` the runner
        believes ``k`` km are done, then judges the distance since from the displayed
        speed (Albertus et al. 2005 misplaced them). Races only; set at the start.
    changes
        ``((time_s, {field: value}), ...)``: from ``time_s`` on, these fields take new values
        (e.g. told 10 min, then another 10: ``((600, {"believed_duration_s": 1200}),)``).
    """

    distance_scale: float = 1.0
    believed_distance_m: float | None = None
    believed_duration_s: float | None = None
    endpoint_known: bool = True
    distance_display: bool = True
    clock_rate: float = 1.0
    told_temperature_c: float | None = None
    core_temp_offset_c: float = 0.0
    pacer_factor: float | None = None
    km_markers_m: tuple[float, ...] = ()
    changes: tuple[tuple[float, Mapping[str, Any]], ...] = field(default=())

    def __post_init__(self) -> None:
        for ch in CHANNELS:
            object.__setattr__(self, ch.name, ch.check(getattr(self, ch.name), "Feedback"))
        changeable = [c.name for c in CHANNELS if c.changeable]
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
            unknown = set(updates) - set(CHANNEL)
            if unknown:
                raise ValueError(
                    f"Feedback.changes: unknown field(s) {sorted(unknown)}; "
                    f"changeable: {', '.join(changeable)}"
                )
            fixed = sorted(set(updates) - set(changeable))
            if fixed:
                raise ValueError(f"Feedback.changes cannot change {', '.join(fixed)}: it is "
                                 "set at the start")
            for name, value in updates.items():
                CHANNEL[name].check(value, f"Feedback.changes at {t:g} s")

    def _base_values(self) -> dict[str, Any]:
        return {c.name: getattr(self, c.name) for c in CHANNELS}

    @property
    def is_truthful(self) -> bool:
        """True when nothing the runner is told differs from the truth."""
        return self == Feedback()

    def segments(self) -> list[tuple[float, dict[str, Any]]]:
        """The feedback in force from each change time on, starting at 0."""
        out = [(0.0, self._base_values())]
        for time_s, updates in self.changes:
            values = dict(out[-1][1])
            values.update({name: CHANNEL[name].check(v, "Feedback.changes")
                           for name, v in updates.items()})
            out.append((float(time_s), values))
        return out

    def check_protocol(self, protocol: object) -> None:
        """Refuse a channel set away from the truth for a protocol it does not apply to."""
        for ch in CHANNELS:
            if ch.applies_to(protocol):
                continue
            if any(not ch.is_truth(values[ch.name]) for _, values in self.segments()):
                names = " or a ".join(ch.protocols)
                raise ValueError(f"Feedback.{ch.name} applies to a {names} only")


_DECLARED = {f.name for f in fields(Feedback)} - {"changes"}
if _DECLARED != set(CHANNEL):  # a field without a declaration, or the reverse
    raise ImportError(f"Feedback's fields {sorted(_DECLARED)} and CHANNELS "
                      f"{sorted(CHANNEL)} disagree")

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
    heat_acclimatisation_days
        Days of training in the heat before this effort [days]; 0 (the default) is a runner
        not acclimatised, as the parameter sets are. Sweating rises, the resting core is
        lower and hyperthermia costs the heart less, most of it within a week
        (:func:`governor.physiology.thermal.acclimatised_heat_terms`,
        :func:`~governor.physiology.thermal.resting_core_temp_c`; Periard et al. 2015).
    governor
        False switches the governor off: recruitment is then all that the reserve allows
        (maximal efforts) or what the imposed pace needs (time to exhaustion), with no
        reserve held, no thermal plan and no perceptual template. For analytic checks.
    """

    afferent_gain: float = 1.0
    mental_fatigue: float = 0.0
    experience: float = 10.0
    governor: bool = True
    heat_acclimatisation_days: float = 0.0

    def __post_init__(self) -> None:
        _finite("Modifiers.afferent_gain", self.afferent_gain, 0.0, 3.0)
        _finite("Modifiers.mental_fatigue", self.mental_fatigue, -3.0, 5.0)
        _finite("Modifiers.experience", self.experience, 0.0, 1000.0)
        _finite("Modifiers.heat_acclimatisation_days", self.heat_acclimatisation_days, 0.0,
                365.0)
        if not isinstance(self.governor, bool | np.bool_):
            raise ValueError("Modifiers.governor must be True or False")


# ----------------------------------------------------------------------------------------
# Protocols. Each carries its behaviour: the command rule the compiled model runs for it,
# what it packs, how it ends and what it refuses. The rule codes are shared with
# :mod:`governor.model`:
#: maximal effort: the governor's plan over the believed remainder (races, time trials)
MAXIMAL = 0
#: an imposed pace: the demand is given, the governor only decides when to stop
IMPOSED = 1
#: a schedule of target RPE or target pace (an RPE clamp, a training session)
SCHEDULED = 2

#: The ways an effort can end besides its time limit and heat illness (every protocol):
#: ``"distance"`` at the finish line; ``"duration"`` when its time is up; ``"exhaustion"``
#: when the reserve's ceiling falls below an imposed demand (the muscles' limit);
#: ``"tolerance"`` when the runner decides to stop: perceived exertion, or the template of
#: the expected duration, reaches the most they are willing to give; ``"speed_floor"`` when
#: self-paced speed falls below a fraction of its settled value.
END_RULES = ("distance", "duration", "exhaustion", "tolerance", "speed_floor")


class _Protocol:
    """Behaviour shared by the protocols (frozen dataclasses below)."""

    rule: int
    ends: tuple[str, ...]
    #: A maximal effort: the runner goes as hard as the governor allows, or until it stops.
    maximal: bool = False

    @property
    def label(self) -> str:
        """Short name and length, e.g. ``"Race 4000 m"``."""
        return type(self).__name__

    @property
    def description(self) -> str:
        """In words, e.g. ``"race of 4000 m"``."""
        return self.label

    @property
    def limit_s(self) -> float:
        """The protocol's time limit [s]."""
        raise NotImplementedError

    @property
    def natural_end_s(self) -> float:
        """When the effort ends by itself [s] (``inf``: it ends on another rule)."""
        return self.limit_s if "duration" in self.ends else math.inf

    def packed(self) -> dict[str, float]:
        """The scalars the compiled model reads for this protocol (NaN: not set)."""
        return {
            "rule": float(self.rule),
            "target_distance_m": math.nan,
            "set_duration_s": math.nan,
            "imposed_speed_mps": math.nan,
            "imposed_grade": math.nan,
            "settle_s": 0.0,
            "stop_fraction": 0.0,
            "natural_end_s": self.natural_end_s,
            "limit_s": float(self.limit_s),
            **{f"ends_on_{r}": float(r in self.ends) for r in END_RULES},
        }

    def schedule(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(end of each part [s], its target RPE [CR10] or NaN, its target speed [m/s] or
        NaN): one part with neither for a protocol without a schedule."""
        return np.array([float(self.limit_s)]), np.array([math.nan]), np.array([math.nan])

    def check(self, feedback: Feedback, modifiers: Modifiers) -> None:
        """Refuse feedback or modifiers that make no sense for this protocol."""
        feedback.check_protocol(self)


@dataclass(frozen=True)
class Race(_Protocol):
    """Cover ``distance_m`` as fast as possible. Ends at the finish line, or at
    ``time_limit_s`` (default: the distance at 1 m/s, plus 10 min)."""

    distance_m: float
    time_limit_s: float | None = None
    rule = MAXIMAL
    ends = ("distance",)
    maximal = True

    @property
    def label(self) -> str:
        return f"Race {self.distance_m:g} m"

    @property
    def description(self) -> str:
        return f"race of {self.distance_m:g} m"

    def __post_init__(self) -> None:
        _finite("Race.distance_m", self.distance_m, 10.0, 500_000.0)
        if self.time_limit_s is not None:
            _finite("Race.time_limit_s", self.time_limit_s, 1.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.time_limit_s or self.distance_m / 1.0 + 600.0

    def packed(self) -> dict[str, float]:
        return {**super().packed(), "target_distance_m": float(self.distance_m)}


@dataclass(frozen=True)
class TimeTrial(_Protocol):
    """Cover as much distance as possible in ``duration_s``."""

    duration_s: float
    rule = MAXIMAL
    ends = ("duration",)
    maximal = True

    @property
    def label(self) -> str:
        return f"TimeTrial {self.duration_s:g} s"

    @property
    def description(self) -> str:
        return f"time trial of {self.duration_s:g} s"

    def __post_init__(self) -> None:
        _finite("TimeTrial.duration_s", self.duration_s, 10.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.duration_s

    def packed(self) -> dict[str, float]:
        return {**super().packed(), "set_duration_s": float(self.duration_s)}


@dataclass(frozen=True)
class TimeToExhaustion(_Protocol):
    """Hold an imposed ``speed_mps`` (a treadmill) until the runner stops. A motivated
    runner stops by decision (status ``"stopped"``): when perceived exertion reaches the
    most they are willing to give, or when the clock they see reaches the duration they
    expect to last, where the template of perceived exertion reaches it. The muscles'
    limit, the reserve's ceiling falling below the demand (``"exhausted"``), bounds it and
    is what a governor switched off reaches (see :func:`governor.model.imposed_command`)."""

    speed_mps: float
    grade: float = 0.0
    time_limit_s: float = 4 * 3600.0
    rule = IMPOSED
    ends = ("exhaustion", "tolerance")
    maximal = True

    @property
    def label(self) -> str:
        return f"TimeToExhaustion {self.speed_mps:g} m/s"

    @property
    def description(self) -> str:
        grade = f" on a {100 * self.grade:g} % grade" if self.grade else ""
        return f"time to exhaustion at {self.speed_mps:g} m/s{grade}"

    def __post_init__(self) -> None:
        _finite("TimeToExhaustion.speed_mps", self.speed_mps, 0.5, 12.0)
        _finite("TimeToExhaustion.grade", self.grade, -0.45, 0.45)
        _finite("TimeToExhaustion.time_limit_s", self.time_limit_s, 1.0, 172_800.0)

    @property
    def limit_s(self) -> float:
        return self.time_limit_s

    def packed(self) -> dict[str, float]:
        return {**super().packed(), "set_duration_s": float(self.time_limit_s),
                "imposed_speed_mps": float(self.speed_mps), "imposed_grade": float(self.grade)}


@dataclass(frozen=True)
class FixedRPE(_Protocol):
    """Self-select speed to hold perceived exertion at ``rpe`` [CR10] (an RPE clamp), until
    speed falls below ``stop_fraction`` of its value at ``settle_s`` or ``duration_s``
    passes."""

    rpe: float
    duration_s: float = 3600.0
    stop_fraction: float = 0.7
    settle_s: float = 120.0
    rule = SCHEDULED
    ends = ("duration", "speed_floor")

    @property
    def label(self) -> str:
        return f"FixedRPE {self.rpe:g}"

    @property
    def description(self) -> str:
        return f"RPE clamp at {self.rpe:g} for {self.duration_s:g} s"

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

    def packed(self) -> dict[str, float]:
        return {**super().packed(), "settle_s": float(self.settle_s),
                "stop_fraction": float(self.stop_fraction)}

    def schedule(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.array([float(self.duration_s)]), np.array([float(self.rpe)]), \
            np.array([math.nan])

    def check(self, feedback: Feedback, modifiers: Modifiers) -> None:
        super().check(feedback, modifiers)
        if not modifiers.governor:
            raise ValueError("FixedRPE needs the governor: the runner self-selects speed by "
                             "feel")


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
class Training(_Protocol):
    """A submaximal session with an intent: a sequence of :class:`Segment` (target RPE or
    target pace each). The governor still caps recruitment by the reserve's ceiling, but
    holds no race plan. Use :meth:`steady` or :meth:`intervals` for common sessions."""

    segments: tuple[Segment, ...]
    rule = SCHEDULED
    ends = ("duration",)

    @property
    def description(self) -> str:
        return f"training session of {len(self.segments)} part(s), {self.limit_s:g} s"

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

    def schedule(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        end = np.cumsum([s.duration_s for s in self.segments]).astype(float)
        rpe = np.array([math.nan if s.target_rpe is None else s.target_rpe
                        for s in self.segments], dtype=float)
        speed = np.array([math.nan if s.target_speed_mps is None else s.target_speed_mps
                          for s in self.segments], dtype=float)
        return end, rpe, speed


Protocol = Race | TimeTrial | TimeToExhaustion | FixedRPE | Training

__all__ = [
    "Course", "Environment", "Feedback", "Modifiers", "Race", "TimeTrial",
    "TimeToExhaustion", "FixedRPE", "Training", "Segment", "Protocol", "Channel", "Sweep",
    "CHANNELS", "FEEDBACK_FIELDS",
]
