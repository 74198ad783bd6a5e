"""Figures of simulations: thin edges over :class:`governor.Simulation` traces.

Every function takes an existing Axes (``ax=None`` makes a new figure) and returns what it
drew on, in the manner of lmfit's ``plot_fit``; none calls ``plt.show()`` and none holds model
logic: the curves are the trace columns, only rescaled for display (distance in km or miles,
time in min, speed as pace). Each line carries a ``label`` naming what it shows, so a figure
can be read (and tested) line by line.

Runner's units
--------------
A speed is shown as a runner reads it, as **pace**: every line of a speed (the runner's speed,
a split, a critical or a fitted speed) has y data in seconds per km (or per mile with
``units="imperial"``), the axis ticks read ``m:ss`` (min/km, min/mile) and the axis is
**inverted, faster pace higher**, so the curve rises when the runner speeds up, as a speed
curve does and as running apps draw pace. Speed [m/s] stays on a secondary axis on the right
(``speed_axis=True``, the default where the right-hand side is free), converting pace and speed
both ways, for whoever reads m/s. A pace is infinite at rest: the pace axis frames the
running paces, not the first seconds' start from a standstill (those points run off the bottom
of the axes; a standing runner's infinite pace is a gap in the line). The physics stays in SI:
the conversion happens here, at display (:func:`governor.units.pace_s`).

``units="metric"`` (the default) also shows distances in km; ``"imperial"`` in miles.

Examples
--------
>>> import governor as gv
>>> from governor import plot
>>> sim = gv.simulate(gv.TRAINED, gv.Race(10000))
>>> axes = plot.plot_race(sim)                       # doctest: +SKIP
>>> axes[0].figure.savefig("race.png")               # doctest: +SKIP
>>> ax = plot.plot_speed(sim, units="imperial")      # doctest: +SKIP
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, Locator

from governor.units import format_duration, pace_s, pace_unit, unit_metres

#: Axis labels, with units, of the trace columns most often plotted.
COLUMN_LABELS = {
    "distance_m": "distance [m]",
    "speed_mps": "speed [m/s]",
    "metabolic_speed_mps": "metabolic speed [m/s]",
    "pace_s_per_km": "pace [s/km]",
    "recruitment": "recruitment [0-1]",
    "recruitment_drive": "recruitment drive [0-1]",
    "recruitment_ceiling": "recruitment ceiling [0-1]",
    "recruitment_command": "recruitment command [0-1]",
    "reserve_m": "reserve D' [m]",
    "believed_reserve_m": "believed reserve [m]",
    "safety_reserve_m": "safety reserve [m]",
    "core_temp_c": "core temperature [°C]",
    "skin_temp_c": "skin temperature [°C]",
    "displayed_core_temp_c": "displayed core temperature [°C]",
    "told_temp_c": "told air temperature [°C]",
    "air_temp_c": "air temperature [°C]",
    "rpe": "perceived exertion [CR10]",
    "template_rpe": "RPE template [CR10]",
    "heart_rate_bpm": "heart rate [bpm]",
    "hazard_score": "hazard score [CR10]",
    "critical_speed_eff_mps": "effective critical speed [m/s]",
    "planned_critical_speed_mps": "planned critical speed [m/s]",
    "reserve_feasible_mps": "reserve-feasible speed [m/s]",
    "thermal_feasible_mps": "thermal-feasible speed [m/s]",
    "perceptual_mps": "perceptual speed [m/s]",
    "believed_remaining_distance_m": "believed distance left [m]",
    "believed_remaining_s": "believed time left [s]",
    "believed_elapsed_s": "believed elapsed time [s]",
    "believed_fraction_done": "believed fraction done [0-1]",
    "displayed_distance_m": "displayed distance [m]",
    "evaporation_w": "evaporative heat loss [W]",
}

_X_KINDS = ("distance", "time")


def _check_x(x: str) -> None:
    if x not in _X_KINDS:
        raise ValueError(f"x must be 'distance' or 'time', got {x!r}")


def x_label(x: str = "distance", units: str = "metric") -> str:
    """Label of the x-axis :func:`x_values` gives: ``"distance [km]"`` (``"distance
    [mile]"`` in imperial units) or ``"time [min]"``."""
    _check_x(x)
    return f"distance [{pace_unit(units)}]" if x == "distance" else "time [min]"


def x_values(sim, x: str = "distance", units: str = "metric") -> np.ndarray:
    """The x coordinate of every trace row: distance [km, or mile] or time [min].

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    x
        ``"distance"`` (true distance covered) or ``"time"`` (elapsed time, min).
    units
        ``"metric"``: distance in km; ``"imperial"``: in miles.
    """
    _check_x(x)
    per = pace_unit(units)
    if x == "distance":
        return sim.trace["distance_m"].to_numpy() / unit_metres(per)
    return sim.trace.index.to_numpy() / 60.0


def column_label(column: str, units: str | None = None) -> str:
    """Axis label with unit for a trace column (the column name when unknown); with
    ``units``, a speed column's label as the pace it is drawn as (``"pace [min/km]"``)."""
    label = COLUMN_LABELS.get(column, column)
    if units is not None and is_speed(column):
        label = _as_pace_label(label, pace_unit(units))
    return label


def is_speed(column: str) -> bool:
    """Whether a trace or day-table column is a speed [m/s] (its name ends in ``_mps``):
    the columns drawn as pace."""
    return column.endswith("_mps")


def _as_pace_label(label: str, per: str) -> str:
    # "effective critical speed [m/s]" -> "effective critical pace [min/km]"
    name = label.split(" [")[0]
    name = name.replace("speed", "pace") if "speed" in name else f"{name} as pace"
    return f"{name} [min/{per}]"


def _new_ax(ax: Axes | None, figsize=(7.0, 3.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


# ---- the pace axis -------------------------------------------------------------------------
#: The slowest pace the pace axis frames, as a speed [m/s]: slower points (a standstill, the
#: first steps from rest) run off the bottom of the axes.
SLOWEST_FRAMED_MPS = 1.0


class PaceLocator(Locator):
    """Ticks at round paces [s]: every 1, 2, 5, 10, 15, 20 or 30 s, or 1, 2, 5, 10, 15, 30
    min, ..., the finest step that gives at most ``nbins`` intervals."""

    STEPS_S = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)

    def __init__(self, nbins: int = 6):
        self.nbins = nbins

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((float(vmin), float(vmax)))
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
            return np.array([])
        span = hi - lo
        step = next((s for s in self.STEPS_S if span / s <= self.nbins),
                    3600.0 * math.ceil(span / 3600.0 / self.nbins))
        first = math.ceil(lo / step) * step
        return self.raise_if_exceeds(np.arange(first, hi + 1e-9 * step, step))


def _format_mss(pace, _pos=None) -> str:
    return format_duration(pace) if math.isfinite(pace) and pace >= 0 else ""


def _reciprocal(k: float):
    # pace [s per unit] <-> speed [m/s]: x -> k / x, its own inverse (k metres in a unit)
    def f(x):
        return k / np.maximum(np.asarray(x, dtype=float), 1e-9)
    return f


def speed_axis_of(ax: Axes):
    """The secondary speed axis [m/s] :func:`set_pace_axis` put on ``ax`` (None if none)."""
    return next((c for c in ax.child_axes if getattr(c, "_governor_speed_axis", False)),
                None)


def frame_pace(ax: Axes, units: str = "metric") -> None:
    """Frame the paces of ``ax``'s lines, faster higher: from the fastest to the 98th
    percentile (the slowest 2 %, a start from rest, run off the bottom), never slower than
    :data:`SLOWEST_FRAMED_MPS`. Axes without lines are left to autoscale (inverted)."""
    ax.yaxis.set_inverted(True)
    ys = [np.asarray(line.get_ydata(), dtype=float).ravel() for line in ax.get_lines()]
    ys = np.concatenate(ys) if ys else np.array([])
    ys = ys[~np.isnan(ys) & (ys > 0)]
    if not ys.size:
        return
    slowest = unit_metres(pace_unit(units)) / SLOWEST_FRAMED_MPS
    ys = np.minimum(ys, 10.0 * slowest)            # a standstill (inf) is "very slow"
    fast, slow = float(ys.min()), float(np.percentile(ys, 98.0))
    slow = min(slow, slowest)
    fast = min(fast, slow)
    pad = max(0.1 * (slow - fast), 0.02 * slow)
    ax.set_ylim(slow + pad, max(fast - pad, 0.5 * fast))


def set_pace_axis(ax: Axes, units: str = "metric", *, speed_axis: bool = True,
                  label: str | None = None, frame: bool = True):
    """Dress the y-axis of an Axes whose lines are paces [s per km, or per mile]: m:ss
    ticks at round paces, inverted (faster higher), a label, and a secondary speed axis.

    Parameters
    ----------
    ax
        The Axes; its y data must be paces in seconds per ``km`` (``units="metric"``) or per
        ``mile`` (``"imperial"``), e.g. :func:`governor.units.pace_s` of the speeds.
    units
        ``"metric"`` (min/km) or ``"imperial"`` (min/mile).
    speed_axis
        Add a right-hand axis reading the same curves as speed [m/s] (once per Axes).
    label
        The y label (default ``"pace [min/km]"``).
    frame
        Frame the lines' paces (:func:`frame_pace`) rather than autoscale to them.

    Returns
    -------
    matplotlib.axes.Axes or None
        The secondary speed axis (a ``SecondaryAxis`` whose transform takes pace to speed,
        ``functions[0]``, and back, ``functions[1]``), or None without one.
    """
    per = pace_unit(units)
    ax.set_ylabel(f"pace [min/{per}]" if label is None else label)
    ax.yaxis.set_major_locator(PaceLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_format_mss))
    ax.yaxis.set_inverted(True)
    if frame:
        frame_pace(ax, units)
    sec = speed_axis_of(ax)
    if speed_axis and sec is None:
        to_speed = _reciprocal(unit_metres(per))
        sec = ax.secondary_yaxis("right", functions=(to_speed, to_speed))
        sec._governor_speed_axis = True
        sec.set_ylabel("speed [m/s]")
    return sec


def _title(sim) -> str:
    name = type(sim.protocol).__name__
    what = name
    if hasattr(sim.protocol, "distance_m"):
        what = f"{name} {sim.protocol.distance_m:g} m"
    elif hasattr(sim.protocol, "duration_s"):
        what = f"{name} {format_duration(sim.protocol.duration_s)}"
    return (f"{what}: {sim.status} in {format_duration(sim.finish_time_s)}, "
            f"{sim.distance_m / 1000.0:.2f} km")


def _differs(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.nanmax(np.abs(a - b), initial=0.0) > 1e-9)


# ----------------------------------------------------------------------------------------
def plot_speed(sim, ax: Axes | None = None, label: str | None = None, *,
               x: str = "distance", units: str = "metric", speed_axis: bool = True,
               **line_kw) -> Axes:
    """The runner's speed through an effort, as pace (faster higher).

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    ax
        Axes to draw on; ``None`` makes a new figure. Several runs drawn on one Axes share
        its pace axis (framed on all of them) and its one speed axis.
    label
        Legend label of the line (default ``"speed"``, the trace column it shows).
    x
        ``"distance"`` or ``"time"`` [min] on the x-axis.
    units
        ``"metric"``: pace in min/km, distance in km; ``"imperial"``: min/mile and miles.
    speed_axis
        Add a right-hand axis reading the same curve as speed [m/s].
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot` (``color``, ``lw``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding one line: y = pace of ``trace["speed_mps"]`` [s per km, or mile]
        (``1000 / speed``; inf at rest), on an inverted axis with m:ss ticks.
    """
    ax = _new_ax(ax)
    per = pace_unit(units)
    ax.plot(x_values(sim, x, units), pace_s(sim.trace["speed_mps"].to_numpy(), per),
            label="speed" if label is None else label, **line_kw)
    ax.set_xlabel(x_label(x, units))
    set_pace_axis(ax, units, speed_axis=speed_axis)
    return ax


def plot_race(sim, axes: Sequence[Axes] | None = None, *, x: str = "distance",
              units: str = "metric") -> np.ndarray:
    """The whole effort in six panels sharing the x-axis.

    From top to bottom: pace [min:s per km] (faster higher, with speed [m/s] on the right);
    recruitment [0-1] with the reserve's ceiling R_max; the reserve D' [m] with the safety
    reserve the governor holds (and the believed reserve when it differs); core and skin
    temperature [°C] with the core limit (and the displayed core when it differs); perceived
    exertion [CR10] with the RPE template; the hazard score [CR10] (RPE x believed fraction
    remaining).

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    axes
        Six Axes to draw on, top to bottom; ``None`` makes a new figure.
    x
        ``"distance"`` or ``"time"`` [min] on the shared x-axis.
    units
        ``"metric"`` (min/km, km) or ``"imperial"`` (min/mile, miles).

    Returns
    -------
    numpy.ndarray
        The six Axes. Every line carries a label naming the trace column it shows (e.g.
        ``"speed"``, drawn as pace as in :func:`plot_speed`, ``"recruitment ceiling"``);
        horizontal reference lines are labelled too.
    """
    _check_x(x)
    pace_unit(units)
    if axes is None:
        fig, axes = plt.subplots(6, 1, figsize=(8.0, 12.0), sharex=True, layout="constrained")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 6:
        raise ValueError(f"plot_race draws six panels; got {axes.size} axes")
    tr = sim.trace
    xs = x_values(sim, x, units)

    ax_v, ax_r, ax_d, ax_t, ax_p, ax_h = axes
    plot_speed(sim, ax=ax_v, x=x, units=units, color="C0")
    ax_v.set_title(_title(sim))

    ax_r.plot(xs, tr["recruitment"].to_numpy(), color="C0", label="recruitment")
    ax_r.plot(xs, tr["recruitment_ceiling"].to_numpy(), color="C3", ls="--",
              label="recruitment ceiling")
    ax_r.set_ylabel(column_label("recruitment"))
    ax_r.set_ylim(0.0, 1.05)

    reserve = tr["reserve_m"].to_numpy()
    believed = tr["believed_reserve_m"].to_numpy()
    ax_d.plot(xs, reserve, color="C0", label="reserve")
    if _differs(reserve, believed):
        ax_d.plot(xs, believed, color="C1", ls=":", label="believed reserve")
    ax_d.plot(xs, tr["safety_reserve_m"].to_numpy(), color="C3", ls="--",
              label="safety reserve")
    ax_d.set_ylabel(column_label("reserve_m"))
    ax_d.set_ylim(bottom=0.0)

    core = tr["core_temp_c"].to_numpy()
    shown = tr["displayed_core_temp_c"].to_numpy()
    ax_t.plot(xs, core, color="C3", label="core")
    if _differs(core, shown):
        ax_t.plot(xs, shown, color="C3", ls=":", label="displayed core")
    ax_t.plot(xs, tr["skin_temp_c"].to_numpy(), color="C1", label="skin")
    ax_t.axhline(sim.params.core_temp_limit_c, color="k", lw=0.8, ls="--",
                 label="core limit")
    ax_t.set_ylabel("temperature [°C]")

    ax_p.plot(xs, tr["rpe"].to_numpy(), color="C0", label="RPE")
    ax_p.plot(xs, tr["template_rpe"].to_numpy(), color="C2", ls="--", label="RPE template")
    ax_p.set_ylabel(column_label("rpe"))
    ax_p.set_ylim(0.0, 10.5)

    ax_h.plot(xs, tr["hazard_score"].to_numpy(), color="C4", label="hazard score")
    ax_h.set_ylabel(column_label("hazard_score"))
    ax_h.set_ylim(bottom=0.0)
    ax_h.set_xlabel(x_label(x, units))

    for ax in axes:
        ax.grid(True, alpha=0.3)
        if len(ax.get_lines()) > 1:
            ax.legend(loc="best", fontsize="small", frameon=False)
        if ax is not ax_h:
            ax.set_xlabel("")
    return axes


def plot_splits(sims: Mapping[str, object], ax: Axes | None = None, *,
                every_m: float | None = None, units: str = "metric",
                speed_axis: bool = True) -> Axes:
    """The pace of each split of several runs, one line with markers per run.

    Parameters
    ----------
    sims
        ``{label: Simulation}``; each run is drawn with its label.
    ax
        Axes to draw on; ``None`` makes a new figure.
    every_m
        Split length [m]; default one km (one mile in imperial units). A last, partial
        split is shown by its pace too, so it is comparable with the others.
    units
        ``"metric"`` (min/km, km) or ``"imperial"`` (min/mile, miles).
    speed_axis
        Add a right-hand axis reading each split's mean speed [m/s].

    Returns
    -------
    matplotlib.axes.Axes
        One line per run: x = split end [km, or mile], y = the split's pace [s per km, or
        mile] (its time for 1 km splits; m:ss on the inverted axis, faster higher).
    """
    per = pace_unit(units)
    unit_m = unit_metres(per)
    every_m = unit_m if every_m is None else float(every_m)
    ax = _new_ax(ax)
    for name, sim in sims.items():
        splits = sim.split_times_s(every_m)
        ends = splits.index.to_numpy(dtype=float)
        lengths = np.diff(np.concatenate([[0.0], ends]))
        pace = splits.to_numpy() * unit_m / lengths
        ax.plot(ends / unit_m, pace, marker="o", label=str(name))
    ax.set_xlabel(f"split end [{per}]")
    length = per if every_m == unit_m else f"{every_m:g} m"
    set_pace_axis(ax, units, speed_axis=speed_axis,
                  label=f"pace of each {length} [min/{per}]")
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_compare(sims: Mapping[str, object], column: str, ax: Axes | None = None, *,
                 x: str = "distance", units: str = "metric",
                 speed_axis: bool = True) -> Axes:
    """One trace column of several runs on one Axes; a speed as pace.

    Parameters
    ----------
    sims
        ``{label: Simulation}``; each run is drawn with its label.
    column
        A trace column, e.g. ``"speed_mps"``, ``"core_temp_c"``, ``"rpe"``. A speed (a
        column ending in ``_mps``) is drawn as pace, faster higher (see the module notes).
    ax
        Axes to draw on; ``None`` makes a new figure.
    x
        ``"distance"`` or ``"time"`` [min] on the x-axis.
    units
        ``"metric"`` (min/km, km) or ``"imperial"`` (min/mile, miles).
    speed_axis
        For a speed: add a right-hand axis reading it in m/s.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run: y = ``trace[column]`` in the column's unit, or for a speed its
        pace [s per km, or mile] (``1000 / trace[column]``).

    Raises
    ------
    KeyError
        If a run's trace has no such column.
    """
    _check_x(x)
    per = pace_unit(units)
    ax = _new_ax(ax)
    speed = is_speed(column)
    for name, sim in sims.items():
        if column not in sim.trace.columns:
            raise KeyError(f"trace has no column {column!r}")
        y = sim.trace[column].to_numpy()
        ax.plot(x_values(sim, x, units), pace_s(y, per) if speed else y, label=str(name))
    ax.set_xlabel(x_label(x, units))
    if speed:
        set_pace_axis(ax, units, speed_axis=speed_axis, label=column_label(column, units))
    else:
        ax.set_ylabel(column_label(column))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


# ---- published studies (governor.studies) ---------------------------------------------
# Each takes a governor.studies.StudyResult (or Deception) and draws its simulations beside
# the published figures the result carries; nothing is simulated here.

def _verdict(result) -> str:
    return "pass" if result.passed else "FAIL"


def _bar_labels(ax: Axes, bars, fmt: str = "{:.1f}") -> None:
    for bar in bars:
        ax.annotate(fmt.format(bar.get_height()), (bar.get_x() + bar.get_width() / 2,
                                                   bar.get_height()),
                    ha="center", va="bottom", fontsize="x-small", xytext=(0, 1),
                    textcoords="offset points")


def _published_vs_simulated_bars(ax: Axes, groups: Sequence[str], published, simulated,
                                 ylabel: str, title: str, reference: float = 100.0,
                                 legend_loc: str = "upper right", xlabel: str = "") -> Axes:
    x = np.arange(len(groups))
    w = 0.38
    b1 = ax.bar(x - w / 2, published, w, color="0.65", label="published")
    b2 = ax.bar(x + w / 2, simulated, w, color="C0", label="simulated")
    _bar_labels(ax, b1)
    _bar_labels(ax, b2)
    ax.axhline(reference, color="k", lw=0.8)
    ax.set_xticks(x, groups)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    values = np.concatenate([np.asarray(published, float), np.asarray(simulated, float)])
    lo, hi = float(values.min()), float(values.max())
    pad = 0.25 * max(hi - lo, 2.0)
    ax.set_ylim(min(lo, reference) - pad, max(hi, reference) + pad)
    ax.set_title(title, fontsize="medium")
    ax.legend(frameon=False, fontsize="small", loc=legend_loc, ncols=2)
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def plot_castle(result, ax: Axes | None = None) -> Axes:
    """T1 (Castle et al. 2012): time-trial distance in control, hot, and hot-but-deceived
    conditions, as % of control, published (cycling) beside simulated (running).

    Returns
    -------
    matplotlib.axes.Axes
        Two bar series labelled ``"published"`` and ``"simulated"``.
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    pub, v = result.published_values, result.values
    published = [100.0, 100.0 * pub["hot_km"] / pub["control_km"],
                 100.0 * pub["deceived_km"] / pub["control_km"]]
    simulated = [100.0, 100.0 * v["hot_m"] / v["control_m"],
                 100.0 * v["deceived_m"] / v["control_m"]]
    return _published_vs_simulated_bars(
        ax, ["control\n22 °C", "hot\n31.6 °C", "hot, told 26 °C,\ncore shown −0.3 °C"],
        published, simulated, "distance in 30 min [% of control]",
        f"T1 Castle 2012: heat and a lie about it ({_verdict(result)})",
        legend_loc="upper center", xlabel="condition")


def plot_stone(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T2 (Stone et al. 2012/2017): pace through the race alone and behind pacers believed
    to be the runner's best, actually 2 % and 5 % faster.

    Returns
    -------
    matplotlib.axes.Axes
        One pace line per run (as :func:`plot_speed`; speed [m/s] on the right), labelled
        with its time change (and the +5 % runner's largest gap behind the pacer); published
        changes in the title.
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    sims = result.simulations
    base = sims["baseline"].finish_time_s
    colors = {"baseline": "0.4", "pacer +2 %": "C2", "pacer +5 %": "C3"}
    for name, sim in sims.items():
        change = sim.finish_time_s / base - 1.0
        label = name if name == "baseline" else f"{name}: time {100 * change:+.1f} %"
        if name == "pacer +5 %":
            label += f", falls {result.values['pacer5_max_gap_m']:.0f} m behind"
        plot_speed(sim, ax=ax, label=label, color=colors.get(name), units=units)
    ax.set_title(f"T2 Stone 2012/2017: pacers +2 % and +5 % ({_verdict(result)})\n"
                 "published: +2 % → time −1 to −2 %; +5 % → no gain", fontsize="medium")
    ax.legend(frameon=False, fontsize="small", loc="lower center")
    ax.grid(True, alpha=0.3)
    return ax


def plot_joseph(result, ax: Axes | None = None) -> Axes:
    """T3 (Joseph et al. 2008): perceived exertion against the fraction of the distance
    completed, one line per race distance, markers at 25/50/75/100 %.

    Returns
    -------
    matplotlib.axes.Axes
        One line per distance (labelled ``"2.5 km"`` ...).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        tr = sim.trace
        frac = 100.0 * tr["distance_m"].to_numpy() / sim.protocol.distance_m
        rpe = tr["rpe"].to_numpy()
        line, = ax.plot(frac, rpe, color=f"C{i}", label=name)
        q = np.array([25.0, 50.0, 75.0, 100.0])
        ax.plot(q, np.interp(q, frac, rpe), "o", color=line.get_color())
    ax.set_xlabel("distance completed [%]")
    ax.set_ylabel(column_label("rpe"))
    ax.set_xlim(0.0, 102.0)
    ax.set_ylim(0.0, 10.5)
    ax.set_title(f"T3 Joseph 2008: one RPE curve for every distance ({_verdict(result)})\n"
                 f"largest spread {result.values['max_spread_cr10']:.2f} CR10 "
                 "(tolerance 1)", fontsize="medium")
    ax.legend(frameon=False, fontsize="small", loc="lower right")
    ax.grid(True, alpha=0.3)
    return ax


def plot_tucker(result, ax: Axes | None = None) -> Axes:
    """T4 (Tucker et al. 2006): each km split against the race's mean km [%], per race.

    Returns
    -------
    matplotlib.axes.Axes
        One line with markers per race (negative: faster than the mean km).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for name, sim in result.simulations.items():
        splits = sim.split_times_s(1000.0)
        full = splits[splits.index % 1000.0 < 1e-6]
        rel = 100.0 * (full.to_numpy() / full.mean() - 1.0)
        ax.plot(full.index.to_numpy() / 1000.0, rel, marker="o", label=name)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xlabel("km")
    ax.set_ylabel("km time − mean km [%]\n(negative: faster)")
    ax.set_title(f"T4 Tucker 2006: fast first and last km ({_verdict(result)})",
                 fontsize="medium")
    ax.legend(frameon=False, fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def plot_ely(result, ax: Axes | None = None) -> Axes:
    """T5 (Ely et al. 2007): marathon slowdown against air temperature, with the published
    range and the tolerance at the hottest condition.

    Returns
    -------
    matplotlib.axes.Axes
        A ``"simulated"`` line, a ``"published"`` range and a shaded ``"tolerance"``.
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    temps = np.array([s.environment.temperature_at(0.0) for s in result.simulations.values()])
    times = np.array([s.finish_time_s for s in result.simulations.values()])
    slow = 100.0 * (times / times[0] - 1.0)
    ax.plot(temps, slow, marker="o", color="C3", label="simulated (x: air temperature)")
    pub = result.published_values
    hot = temps[-1]
    ax.errorbar([hot + 0.3], [50.0 * (pub["slowdown_low"] + pub["slowdown_high"])],
                yerr=[[50.0 * (pub["slowdown_high"] - pub["slowdown_low"])]],
                fmt="s", color="0.4", capsize=4, label="published, elite men (x: WBGT)")
    ax.fill_between([hot - 0.8, hot + 0.8], 1.0, 8.0, color="C2", alpha=0.15,
                    label="tolerance: 1–8 %")
    ax.set_xlabel("air temperature [°C]")
    ax.set_ylabel(f"marathon time vs {temps[0]:g} °C [%]")
    ax.set_title(f"T5 Ely 2007: the marathon in the heat ({_verdict(result)})",
                 fontsize="medium")
    ax.legend(frameon=False, fontsize="small", loc="upper left")
    ax.grid(True, alpha=0.3)
    return ax


def plot_mauger(result, ax: Axes | None = None) -> Axes:
    """T6 (Mauger et al. 2009): time with the endpoint unknown as % of the informed time, on
    the first trial and after experience, published beside simulated.

    Returns
    -------
    matplotlib.axes.Axes
        Two bar series labelled ``"published"`` and ``"simulated"``.
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    pub, v = result.published_values, result.values
    later = [k for k in result.simulations if not k.startswith("trial 1")][0].split(",")[0]
    published = [100.0 * pub["blind_first_s"] / pub["informed_first_s"],
                 100.0 * pub["blind_later_s"] / pub["informed_later_s"]]
    simulated = [100.0 * v["blind_first_s"] / v["informed_first_s"],
                 100.0 * v["blind_later_s"] / v["informed_later_s"]]
    return _published_vs_simulated_bars(
        ax, ["trial 1 (naive)", f"{later} (experienced)"], published, simulated,
        "time, endpoint unknown\n[% of informed]",
        f"T6 Mauger 2009: an unknown endpoint ({_verdict(result)})", xlabel="trial")


def plot_record_race(result, ax: Axes | None = None) -> Axes:
    """T7, one record race: the pace of each published split relative to the race's mean
    pace, published beside simulated, with the near-even tolerance shaded.

    Parameters
    ----------
    result
        One part of :func:`governor.studies.record_races` (or
        :func:`governor.studies.record_race`).

    Returns
    -------
    matplotlib.axes.Axes
        ``"published"`` bars and a ``"simulated"`` line (x: split end [km]; y: split pace
        against the mean pace [%], negative faster).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    ends = np.array(sorted(float(k.split("_")[-1][:-1]) for k in result.published_values
                           if k.startswith("relative_pace_")))
    pub = np.array([result.published_values[f"relative_pace_{m:g}m"] for m in ends])
    sim = np.array([result.values[f"relative_pace_{m:g}m"] for m in ends])
    starts = np.concatenate([[0.0], ends[:-1]])
    mid = (starts + ends) / 2000.0
    ax.bar(mid, 100.0 * pub, width=0.8 * (ends - starts) / 1000.0, color="0.7",
           label="published")
    ax.plot(mid, 100.0 * sim, "o-", color="C0", label="simulated")
    tol = 100.0 * result.values.get("even_tolerance", 0.03)
    ax.axhspan(-tol, tol, color="C2", alpha=0.1, label=f"±{tol:g} % (splits before the last)")
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xlabel("split [km]")
    ax.set_ylabel("split pace vs mean pace [%]\n(negative: faster)")
    t_pub = result.published_values["finish_time_s"]
    t_sim = result.values["finish_time_s"]
    failed = [name.split(":")[0] for name, ok in result.checks.items() if not ok]
    verdict = "pass" if not failed else "FAIL (" + ", ".join(failed) + ")"
    ax.set_title(f"{result.id} {result.study}\n{format_duration(t_pub)} published, "
                 f"{format_duration(t_sim)} simulated ({100 * (t_sim / t_pub - 1):+.1f} %): "
                 f"{verdict}", fontsize="medium")
    ax.legend(frameon=False, fontsize="x-small", loc="lower left")
    ax.grid(True, alpha=0.3)
    return ax


def plot_record_races(result, axes: Sequence[Axes] | None = None) -> np.ndarray:
    """T7: :func:`plot_record_race` for every race, side by side. Returns the Axes."""
    parts = result.parts or (result,)
    if axes is None:
        _, axes = plt.subplots(1, len(parts), figsize=(5.5 * len(parts), 4.0),
                               layout="constrained", squeeze=False)
    axes = np.asarray(axes, dtype=object).ravel()
    for part, ax in zip(parts, axes, strict=True):
        plot_record_race(part, ax=ax)
    return axes


def _label_study(ax: Axes, xlabel: str, ylabel: str, title: str) -> Axes:
    """Axis labels, title, a small legend and a light grid: the finish of a study figure."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="x-small")
    ax.grid(True, alpha=0.3)
    return ax


def plot_marcora(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T8, Marcora & Staiano 2010: the speed the reserve's ceiling allows and the imposed
    demand over a time to exhaustion, governed (stopped by decision) and with the governor
    off (Morton's hyperbola), with the published margin left at exhaustion.

    Returns
    -------
    matplotlib.axes.Axes
        x: time [min]; y: flat-equivalent pace [s per km, or mile] (faster higher; speed
        [m/s] on the right).
    """
    per = pace_unit(units)
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        t = sim.time_s / 60.0
        ceiling = sim.column("recruitment_ceiling") * sim.params.v_max_mps
        ax.plot(t, pace_s(ceiling, per), color=f"C{i}", label=f"ceiling, {name} ({sim.status})")
    sim = result.simulations["governed"]
    demand = sim.column("metabolic_speed_mps")
    ax.plot(sim.time_s / 60.0, pace_s(demand, per), color="k", lw=0.8, label="demand")
    v_max = sim.params.v_max_mps
    published = demand[-1] + result.published_values["margin_left"] * (v_max - demand[-1])
    ax.plot([sim.time_s[-1] / 60.0], [pace_s(published, per)], "s", color="0.5",
            label="ceiling at exhaustion, published margin")
    set_pace_axis(ax, units, label=f"flat-equivalent pace [min/{per}]")
    return _label_study(ax, "time [min]", ax.get_ylabel(),
                        f"T8 Marcora & Staiano 2010: exhaustion by decision ({_verdict(result)})")


def plot_albertus(result, ax: Axes | None = None) -> Axes:
    """T10, Albertus et al. 2005: RPE at each quarter of the 20 km for each placement of the
    km markers, with the finish time of each in the legend.

    Returns
    -------
    matplotlib.axes.Axes
        One line per condition (x: fraction of the distance [%]; y: RPE [CR10]).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    quarters = (25, 50, 75, 100)
    base = result.values["accurate_s"]
    for i, name in enumerate(result.simulations):
        key = name.replace(" ", "_")
        rpe = [result.values[f"rpe_{key}_{q}"] for q in quarters]
        t = result.values[f"{key}_s"]
        ax.plot(quarters, rpe, "o-", color=f"C{i}", alpha=0.8,
                label=f"{name} ({format_duration(t)}, {100 * (t / base - 1):+.2f} %)")
    return _label_study(ax, "distance done [%]", "RPE [CR10]",
                        f"T10 Albertus 2005: misplaced km markers ({_verdict(result)})")


def plot_micklewright(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T9, Micklewright et al. 2010: the pace of each km for the blind, the false-speed
    and the accurate second trial and the full-feedback third, the last quarter shaded.

    Returns
    -------
    matplotlib.axes.Axes
        One line per trial (x: km of the trial; y: its pace [s per km, or mile], faster
        higher; the km's mean speed [m/s] on the right).
    """
    unit_m = unit_metres(pace_unit(units))
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        splits = sim.split_times_s(1000.0)
        ends = splits.index.to_numpy(dtype=float)
        lengths = np.diff(np.concatenate([[0.0], ends]))
        ax.plot(ends / 1000.0, splits.to_numpy() * unit_m / lengths, "o-", ms=3,
                color=f"C{i}", alpha=0.85,
                label=f"{name} ({format_duration(sim.finish_time_s)})")
    total_km = next(iter(result.simulations.values())).distance_m / 1000.0
    ax.axvspan(0.75 * total_km + 0.5, total_km + 0.5, color="0.92", zorder=0,
               label="last quarter")
    set_pace_axis(ax, units, label=f"pace of the km [min/{pace_unit(units)}]")
    return _label_study(ax, "km", ax.get_ylabel(),
                        f"T9 Micklewright 2010: blind and false feedback ({_verdict(result)})")


def plot_ely_2010(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T11, Ely et al. 2010: pace and core temperature through the 15-min time trials in
    temperate and hot air (after the 30-min preload).

    Returns
    -------
    matplotlib.axes.Axes
        Pace [s per km, or mile; faster higher] against time [min] on the left axis, core
        temperature [degC] on a twin axis (dashed); no speed axis, the right is the core's.
    """
    per = pace_unit(units)
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    core_ax = ax.twinx()
    for i, (name, sim) in enumerate(result.simulations.items()):
        minutes = sim.time_s / 60.0
        ax.plot(minutes, pace_s(sim.column("speed_mps"), per), color=f"C{i}", lw=1.4,
                label=f"{name} ({sim.distance_m / 1000:.2f} km)")
        core_ax.plot(minutes, sim.column("core_temp_c"), color=f"C{i}", ls="--", lw=1.0)
    core_ax.set_ylabel("core temperature [°C] (dashed)")
    set_pace_axis(ax, units, speed_axis=False)
    return _label_study(ax, "time in the trial [min]", ax.get_ylabel(),
                        f"T11 Ely 2010: 15-min trial in 21 and 40 °C ({_verdict(result)})")


def plot_levels(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T13, Levels et al. 2012: pace and skin temperature through the control and the
    radiant race, the heated stretch shaded.

    Returns
    -------
    matplotlib.axes.Axes
        Pace [s per km, or mile; faster higher] against distance [km, or mile] on the left
        axis, skin temperature [degC] on a twin axis (dashed); no speed axis, the right is
        the skin's.
    """
    per = pace_unit(units)
    unit_m = unit_metres(per)
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    skin_ax = ax.twinx()
    for i, (name, sim) in enumerate(result.simulations.items()):
        d = sim.column("distance_m") / unit_m
        ax.plot(d, pace_s(sim.column("speed_mps"), per), color=f"C{i}", lw=1.4,
                label=f"{name} ({format_duration(sim.finish_time_s)})")
        skin_ax.plot(d, sim.column("skin_temp_c"), color=f"C{i}", ls="--", lw=1.0)
    total = result.simulations["control"].distance_m / unit_m
    ax.axvspan(0.2 * total, 0.8 * total, color="0.9", zorder=0,
               label="radiant load on")
    skin_ax.set_ylabel("skin temperature [°C] (dashed)")
    set_pace_axis(ax, units, speed_axis=False)
    return _label_study(ax, f"distance [{per}]", ax.get_ylabel(),
                        f"T13 Levels 2012: radiant heat on the skin ({_verdict(result)})")


def plot_racinais(result, ax: Axes | None = None, *, units: str = "metric") -> Axes:
    """T12, Racinais et al. 2015: pace through the cool trial and the hot trials after 0,
    5 and 13 days of heat training.

    Returns
    -------
    matplotlib.axes.Axes
        One line per trial (x: time [min]; y: pace [s per km, or mile], faster higher, speed
        [m/s] on the right), its distance in the legend.
    """
    per = pace_unit(units)
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        ax.plot(sim.time_s / 60.0, pace_s(sim.column("speed_mps"), per), color=f"C{i}",
                lw=1.3, label=f"{name} ({sim.distance_m / 1000:.2f} km)")
    set_pace_axis(ax, units)
    return _label_study(ax, "time [min]", ax.get_ylabel(),
                        f"T12 Racinais 2015: heat acclimatisation ({_verdict(result)})")


_STUDY_PLOTS = {"T1": plot_castle, "T2": plot_stone, "T3": plot_joseph, "T4": plot_tucker,
                "T5": plot_ely, "T6": plot_mauger, "T8": plot_marcora, "T9": plot_micklewright,
                "T10": plot_albertus, "T11": plot_ely_2010,
                "T12": plot_racinais, "T13": plot_levels}
#: The study figures that show a speed (as pace): they take ``units``.
_PACE_STUDIES = frozenset({"T2", "T8", "T9", "T11", "T12", "T13"})


def _study_kw(study_id: str, units: str) -> dict:
    pace_unit(units)
    return {"units": units} if study_id in _PACE_STUDIES else {}


def plot_study(result, ax: Axes | None = None, *, units: str = "metric"):
    """The figure of any target from its :class:`governor.studies.StudyResult`;
    returns the Axes (an array of them for T7). ``units`` (``"metric"`` or ``"imperial"``)
    is the pace unit of the figures that show a speed (T2, T8, T9, T11, T12, T13)."""
    if result.id.startswith("T7"):
        return plot_record_races(result) if ax is None else plot_record_race(result, ax=ax)
    if result.id not in _STUDY_PLOTS:
        raise ValueError(f"no figure for study {result.id!r}")
    return _STUDY_PLOTS[result.id](result, ax=ax, **_study_kw(result.id, units))


def plot_false_feedback(results, axes: Sequence[Axes] | None = None, *,
                        units: str = "metric") -> np.ndarray:
    """Four false-feedback studies in one figure: Castle 2012 (heat and a lie about it),
    Stone 2012 (pacers), Joseph 2008 (RPE against fraction completed) and Mauger 2009
    (unknown endpoint).

    Parameters
    ----------
    results
        StudyResults including T1, T2, T3 and T6 (a list, or ``{id: result}``).
    axes
        Four Axes; ``None`` makes a 2 x 2 figure.
    units
        ``"metric"`` or ``"imperial"``: the pace unit of Stone's pacers (T2).

    Returns
    -------
    numpy.ndarray
        The four Axes: T1, T2, T3, T6.
    """
    by_id = dict(results) if isinstance(results, Mapping) else {r.id: r for r in results}
    missing = [k for k in ("T1", "T2", "T3", "T6") if k not in by_id]
    if missing:
        raise ValueError(f"plot_false_feedback needs the results of {', '.join(missing)}")
    if axes is None:
        fig, axes = plt.subplots(2, 2, figsize=(12.0, 8.0), layout="constrained")
        fig.suptitle("Published false-feedback studies, simulated by the governor model")
    axes = np.asarray(axes, dtype=object).ravel()
    for key, ax in zip(("T1", "T2", "T3", "T6"), axes, strict=True):
        _STUDY_PLOTS[key](by_id[key], ax=ax, **_study_kw(key, units))
    return axes


def plot_truth_vs_deception(deception, axes: Sequence[Axes] | None = None, *,
                            units: str = "metric") -> np.ndarray:
    """Truth against deception: pace, reserve and core temperature of the same runner told
    the truth and deceived on one channel (:func:`governor.studies.truth_vs_deception`).

    The reserve panel marks the lowest reserve each run reaches; the core panel draws the
    model's core-temperature limit (``Params.core_temp_limit_c``) and, where it differs, the
    core temperature the deceived runner was shown. The pace panel is :func:`plot_speed`'s
    (faster higher, speed [m/s] on the right); ``units`` is ``"metric"`` (min/km, km) or
    ``"imperial"`` (min/mile, miles).

    Returns
    -------
    numpy.ndarray
        Three Axes (pace, reserve, core temperature), lines labelled ``"truth"`` and
        ``"deceived"``.
    """
    truth, deceived = deception.truth, deception.deceived
    x = "time" if type(truth.protocol).__name__ == "TimeTrial" else "distance"
    if axes is None:
        fig, axes = plt.subplots(3, 1, figsize=(8.0, 8.5), sharex=True, layout="constrained")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 3:
        raise ValueError(f"plot_truth_vs_deception draws three panels; got {axes.size} axes")
    ax_v, ax_d, ax_t = axes
    runs = (("truth", truth, "0.35"), ("deceived", deceived, "C1"))
    for label, sim, color in runs:
        plot_speed(sim, ax=ax_v, label=label, x=x, units=units, color=color)
    ax_v.legend(frameon=False, fontsize="small")
    ax_v.set_xlabel("")

    for label, sim, color in runs:
        xs = x_values(sim, x, units)
        reserve = sim.trace["reserve_m"].to_numpy()
        ax_d.plot(xs, reserve, color=color, label=label)
        i = int(np.argmin(reserve))
        ax_d.plot(xs[i], reserve[i], "v", color=color,
                  label=f"lowest {label}: {reserve[i]:.0f} m")
    ax_d.axhline(0.0, color="k", lw=0.8, ls="--", label="empty reserve")
    ax_d.set_ylabel(column_label("reserve_m"))
    ax_d.set_ylim(bottom=-0.05 * truth.params.d_prime_m)
    ax_d.legend(frameon=False, fontsize="small")

    limit = deception.core_temp_limit_c
    for label, sim, color in runs:
        xs = x_values(sim, x, units)
        ax_t.plot(xs, sim.trace["core_temp_c"].to_numpy(), color=color,
                  label=f"{label}: peak {sim.trace['core_temp_c'].max():.2f} °C")
    shown = deceived.trace["displayed_core_temp_c"].to_numpy()
    if _differs(shown, deceived.trace["core_temp_c"].to_numpy()):
        ax_t.plot(x_values(deceived, x, units), shown, color="C1", ls=":",
                  label="deceived: core shown")
    ax_t.axhline(limit, color="k", lw=0.8, ls="--", label=f"core limit {limit:.1f} °C")
    ax_t.set_ylabel(column_label("core_temp_c"))
    ax_t.set_xlabel(x_label(x, units))
    ax_t.legend(frameon=False, fontsize="small", loc="lower right")
    for ax in axes:
        ax.grid(True, alpha=0.3)
    lines = [textwrap.fill(part, 90) for part in deception.verdict().split("; ")]
    ax_v.set_title("Truth vs deception — " + "\n".join(lines), fontsize="medium")
    return axes


__all__ = [
    "plot_race", "plot_speed", "plot_splits", "plot_compare", "x_values", "x_label",
    "column_label", "is_speed", "format_duration", "COLUMN_LABELS",
    "set_pace_axis", "frame_pace", "speed_axis_of", "PaceLocator", "SLOWEST_FRAMED_MPS",
    "plot_castle", "plot_stone", "plot_joseph", "plot_tucker", "plot_ely", "plot_mauger",
    "plot_marcora", "plot_micklewright", "plot_albertus", "plot_ely_2010", "plot_racinais",
    "plot_levels",
    "plot_record_race", "plot_record_races", "plot_study", "plot_false_feedback",
    "plot_truth_vs_deception",
]


# ---- training blocks (governor.block) ----------------------------------------------------
# Day-by-day figures of a governor.block.Block: its ``days`` table, drawn as it is.

#: Axis labels, with units, of the columns of a block's day table.
BLOCK_COLUMN_LABELS = {
    "load_au": "training load, TRIMP [AU]",
    "fitness_au": "fitness [AU]",
    "fatigue_au": "fatigue [AU]",
    "performance_change": "change of critical speed [-]",
    "effective_critical_speed_mps": "effective critical speed [m/s]",
    "rpe_offset_cr10": "perceived-effort offset [CR10]",
    "experience": "experience [previous efforts]",
    "finish_time_s": "finish time [s]",
    "distance_m": "distance [m]",
    "mean_speed_mps": "mean speed [m/s]",
    "mean_rpe": "mean perceived exertion [CR10]",
    "final_rpe": "final perceived exertion [CR10]",
    "mean_heart_rate_bpm": "mean heart rate [bpm]",
    "reserve_left_fraction": "reserve left at the end [fraction of D']",
}


def _day_values(values: np.ndarray, column: str, per: str) -> np.ndarray:
    # a day-table column as drawn: a speed as its pace
    return pace_s(values, per) if is_speed(column) else values


def _day_ylabel(ax: Axes, column: str, units: str) -> None:
    label = BLOCK_COLUMN_LABELS.get(column, column)
    if is_speed(column):
        set_pace_axis(ax, units, label=_as_pace_label(label, pace_unit(units)))
    else:
        ax.set_ylabel(label)


def _day_table(item):
    # a Block's day table, or a DataFrame by day (e.g. Block.what_if) as it is
    return item.days if hasattr(item, "days") else item


def plot_block(block, axes: Sequence[Axes] | None = None, *,
               units: str = "metric") -> np.ndarray:
    """A training block day by day, in four panels sharing the day axis.

    From top to bottom: each day's training load [AU] (bars; maximal efforts darker);
    fitness and fatigue [AU]; the effective critical speed the day starts with, beside
    the usual one (of ``Params``: the habitual steady state), as critical pace [min/km, or
    min/mile with ``units="imperial"``; faster higher, speed [m/s] on the right, as in
    :func:`plot_speed`]; the perceived-effort offset
    [CR10] (0 in the habitual state). Fitness, fatigue, critical speed and the offset are drawn
    at the start of each day and of the day after the block.

    Parameters
    ----------
    block
        A :class:`governor.block.Block`.
    axes
        Four Axes to draw on, top to bottom; ``None`` makes a new figure.

    Returns
    -------
    numpy.ndarray
        The four Axes. Lines are labelled ``"fitness"``, ``"fatigue"``, ``"effective critical
        speed"``, ``"usual critical speed"`` (both drawn as pace [s per km, or mile]),
        ``"perceived-effort offset"`` and ``"habitual"``; the bars ``"training load"``.
    """
    per = pace_unit(units)
    if axes is None:
        _, axes = plt.subplots(4, 1, figsize=(8.0, 8.0), sharex=True, layout="constrained")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 4:
        raise ValueError(f"plot_block draws four panels; got {axes.size} axes")
    days = block.days
    final = block.final_state
    n = len(days)
    x = np.arange(n + 1)

    def with_final(column):
        return np.append(days[column].to_numpy(dtype=float), float(final[column]))

    ax_w, ax_g, ax_cs, ax_p = axes
    colors = np.where(days["maximal"].to_numpy(dtype=bool), "C3", "C0")
    ax_w.bar(days.index.to_numpy(), days["load_au"].to_numpy(), color=colors, width=0.7,
             label="training load")
    ax_w.set_ylabel("load, TRIMP [AU]")
    ax_g.plot(x, with_final("fitness_au"), color="C2", marker=".", label="fitness")
    ax_g.plot(x, with_final("fatigue_au"), color="C3", marker=".", label="fatigue")
    ax_g.set_ylabel("[AU]")
    ax_cs.plot(x, pace_s(with_final("effective_critical_speed_mps"), per), color="C0",
               marker=".", label="effective critical speed")
    ax_cs.axhline(pace_s(block.params.critical_speed_mps, per), color="k", lw=0.8, ls="--",
                  label="usual critical speed")
    set_pace_axis(ax_cs, units, label=f"critical pace [min/{per}]")
    ax_p.plot(x, with_final("rpe_offset_cr10"), color="C4", marker=".",
              label="perceived-effort offset")
    ax_p.axhline(0.0, color="k", lw=0.8, ls="--", label="habitual")
    ax_p.set_ylabel("RPE offset [CR10]")
    ax_p.set_xlabel("day")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", fontsize="small", frameon=False)
    return axes


def plot_block_days(blocks: Mapping[str, object], column: str, ax: Axes | None = None, *,
                    units: str = "metric", **line_kw) -> Axes:
    """One column of several blocks' day tables against the day, one line per block.

    Parameters
    ----------
    blocks
        ``{label: Block}`` (its ``days`` table) or ``{label: DataFrame}`` indexed by day
        (e.g. :meth:`governor.block.Block.what_if`).
    column
        A day-table column, e.g. ``"fatigue_au"``, ``"finish_time_s"``, ``"mean_rpe"``. A
        speed (``"mean_speed_mps"``, ``"effective_critical_speed_mps"``) is drawn as pace,
        faster higher, speed [m/s] on the right (as :func:`plot_speed`).
    ax
        Axes to draw on; ``None`` makes a new figure.
    units
        ``"metric"`` (min/km) or ``"imperial"`` (min/mile): the pace of a speed column.
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per block, labelled with its key: x = day, y = the column (a speed's pace
        [s per km, or mile]); days without a value (rest days, for the session columns) are
        left out.

    Raises
    ------
    KeyError
        If a table has no such column.
    """
    per = pace_unit(units)
    ax = _new_ax(ax)
    line_kw.setdefault("marker", "o")
    for name, item in blocks.items():
        table = _day_table(item)
        if column not in table.columns:
            raise KeyError(f"day table has no column {column!r}")
        values = table[column].astype(float).dropna()
        ax.plot(values.index.to_numpy(), _day_values(values.to_numpy(), column, per),
                label=str(name), **line_kw)
    ax.set_xlabel("day")
    _day_ylabel(ax, column, units)
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_trials(blocks: Mapping[str, object], column: str = "finish_time_s",
                ax: Axes | None = None, *, units: str = "metric", **line_kw) -> Axes:
    """The maximal efforts of several blocks by trial number, one line per block.

    Parameters
    ----------
    blocks
        ``{label: Block}``; the maximal efforts of each (races, time trials, times to
        exhaustion) are its trials 1, 2, ...
    column
        A day-table column, e.g. ``"finish_time_s"`` or ``"reserve_left_fraction"``; a speed
        (``"mean_speed_mps"``) is drawn as pace, as in :func:`plot_block_days`.
    ax
        Axes to draw on; ``None`` makes a new figure.
    units
        ``"metric"`` (min/km) or ``"imperial"`` (min/mile): the pace of a speed column.
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per block, labelled with its key: x = trial number, y = the column.
    """
    per = pace_unit(units)
    ax = _new_ax(ax)
    line_kw.setdefault("marker", "o")
    for name, block in blocks.items():
        days = block.days
        if column not in days.columns:
            raise KeyError(f"day table has no column {column!r}")
        trials = days[days["maximal"].astype(bool)]
        ax.plot(np.arange(1, len(trials) + 1),
                _day_values(trials[column].to_numpy(dtype=float), column, per),
                label=str(name), **line_kw)
    ax.set_xlabel("trial")
    _day_ylabel(ax, column, units)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


__all__ += ["plot_block", "plot_block_days", "plot_trials", "BLOCK_COLUMN_LABELS"]
