"""Figures of simulations: thin edges over :class:`governor.Simulation` traces.

Every function takes an existing Axes (``ax=None`` makes a new figure) and returns what it
drew on, in the manner of lmfit's ``plot_fit``; none calls ``plt.show()`` and none holds model
logic: the curves are the trace columns, only rescaled for the x-axis (distance in km, time in
min). Each line carries a ``label`` naming what it shows, so a figure can be read (and tested)
line by line.

Examples
--------
>>> import governor as gv
>>> from governor import plot
>>> sim = gv.simulate(gv.TRAINED, gv.Race(10000))
>>> axes = plot.plot_race(sim)                       # doctest: +SKIP
>>> axes[0].figure.savefig("race.png")               # doctest: +SKIP
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from governor.units import format_duration

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

_X_AXES = {"distance": "distance [km]", "time": "time [min]"}


def _check_x(x: str) -> None:
    if x not in _X_AXES:
        raise ValueError(f"x must be 'distance' or 'time', got {x!r}")


def x_values(sim, x: str = "distance") -> np.ndarray:
    """The x coordinate of every trace row: distance [km] or time [min].

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    x
        ``"distance"`` (true distance covered, km) or ``"time"`` (elapsed time, min).
    """
    _check_x(x)
    if x == "distance":
        return sim.trace["distance_m"].to_numpy() / 1000.0
    return sim.trace.index.to_numpy() / 60.0


def column_label(column: str) -> str:
    """Axis label with unit for a trace column (the column name when unknown)."""
    return COLUMN_LABELS.get(column, column)


def _new_ax(ax: Axes | None, figsize=(7.0, 3.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _pace_min_per_km(speed):
    # its own inverse: speed [m/s] <-> pace [min/km]
    return 1000.0 / (60.0 * np.maximum(np.asarray(speed, dtype=float), 1e-3))


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
               x: str = "distance", pace_axis: bool = True, **line_kw) -> Axes:
    """Running speed through an effort.

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    ax
        Axes to draw on; ``None`` makes a new figure.
    label
        Legend label of the line (default ``"speed"``).
    x
        ``"distance"`` [km] or ``"time"`` [min] on the x-axis.
    pace_axis
        Add a right-hand axis reading the same curve as pace [min:s per km].
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot` (``color``, ``lw``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding one line: y = ``trace["speed_mps"]`` [m/s].
    """
    ax = _new_ax(ax)
    ax.plot(x_values(sim, x), sim.trace["speed_mps"].to_numpy(),
            label="speed" if label is None else label, **line_kw)
    ax.set_xlabel(_X_AXES[x])
    ax.set_ylabel(column_label("speed_mps"))
    if pace_axis:
        # pace is infinite at rest: frame the running speeds, not the first seconds' start
        # from a standstill (those points run off the bottom of the axes)
        ys = np.concatenate([np.asarray(line.get_ydata(), dtype=float)
                             for line in ax.get_lines()])
        ys = ys[np.isfinite(ys)]
        if ys.size:
            lo, hi = np.percentile(ys, [2.0, 100.0])
            pad = 0.1 * max(hi - lo, 0.2)
            ax.set_ylim(max(lo - pad, 0.5), hi + pad)
    if pace_axis and not any(getattr(c, "_governor_pace", False) for c in ax.child_axes):
        sec = ax.secondary_yaxis("right", functions=(_pace_min_per_km, _pace_min_per_km))
        sec._governor_pace = True
        sec.set_ylabel("pace [min:s/km]")
        sec.yaxis.set_major_formatter(
            FuncFormatter(lambda p, _: format_duration(60.0 * p) if np.isfinite(p) else ""))
    return ax


def plot_race(sim, axes: Sequence[Axes] | None = None, *, x: str = "distance") -> np.ndarray:
    """The whole effort in six panels sharing the x-axis.

    From top to bottom: speed [m/s] (with pace [min:s/km] on the right); recruitment [0-1]
    with the reserve's ceiling R_max; the reserve D' [m] with the safety reserve the governor
    holds (and the believed reserve when it differs); core and skin temperature [°C] with the
    core limit (and the displayed core when it differs); perceived exertion [CR10] with the
    RPE template; the hazard score [CR10] (RPE x believed fraction remaining).

    Parameters
    ----------
    sim
        A :class:`governor.Simulation`.
    axes
        Six Axes to draw on, top to bottom; ``None`` makes a new figure.
    x
        ``"distance"`` [km] or ``"time"`` [min] on the shared x-axis.

    Returns
    -------
    numpy.ndarray
        The six Axes. Every line carries a label naming the trace column it shows (e.g.
        ``"recruitment ceiling"``); horizontal reference lines are labelled too.
    """
    _check_x(x)
    if axes is None:
        fig, axes = plt.subplots(6, 1, figsize=(8.0, 12.0), sharex=True, layout="constrained")
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 6:
        raise ValueError(f"plot_race draws six panels; got {axes.size} axes")
    tr = sim.trace
    xs = x_values(sim, x)

    ax_v, ax_r, ax_d, ax_t, ax_p, ax_h = axes
    plot_speed(sim, ax=ax_v, x=x, color="C0")
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
    ax_h.set_xlabel(_X_AXES[x])

    for ax in axes:
        ax.grid(True, alpha=0.3)
        if len(ax.get_lines()) > 1:
            ax.legend(loc="best", fontsize="small", frameon=False)
        if ax is not ax_h:
            ax.set_xlabel("")
    return axes


def plot_splits(sims: Mapping[str, object], ax: Axes | None = None, *,
                every_m: float = 1000.0) -> Axes:
    """Split times of several runs, one line with markers per run.

    Parameters
    ----------
    sims
        ``{label: Simulation}``; each run is drawn with its label.
    ax
        Axes to draw on; ``None`` makes a new figure.
    every_m
        Split length [m]. A last, partial split is shown as the time it would have taken
        over a full split (its pace), so it is comparable with the others.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run: x = split end [km], y = split time [s] (m:ss on the axis).
    """
    ax = _new_ax(ax)
    for name, sim in sims.items():
        splits = sim.split_times_s(every_m)
        ends = splits.index.to_numpy(dtype=float)
        lengths = np.diff(np.concatenate([[0.0], ends]))
        per_split = splits.to_numpy() * every_m / lengths
        ax.plot(ends / 1000.0, per_split, marker="o", label=str(name))
    ax.set_xlabel("split end [km]")
    ax.set_ylabel(f"time per {every_m:g} m [m:ss]")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda s, _: format_duration(s)))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_compare(sims: Mapping[str, object], column: str, ax: Axes | None = None, *,
                 x: str = "distance") -> Axes:
    """One trace column of several runs on one Axes.

    Parameters
    ----------
    sims
        ``{label: Simulation}``; each run is drawn with its label.
    column
        A trace column, e.g. ``"speed_mps"``, ``"core_temp_c"``, ``"rpe"``.
    ax
        Axes to draw on; ``None`` makes a new figure.
    x
        ``"distance"`` [km] or ``"time"`` [min] on the x-axis.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run: y = ``trace[column]`` in the column's unit.

    Raises
    ------
    KeyError
        If a run's trace has no such column.
    """
    _check_x(x)
    ax = _new_ax(ax)
    for name, sim in sims.items():
        if column not in sim.trace.columns:
            raise KeyError(f"trace has no column {column!r}")
        ax.plot(x_values(sim, x), sim.trace[column].to_numpy(), label=str(name))
    ax.set_xlabel(_X_AXES[x])
    ax.set_ylabel(column_label(column))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


# ---- published studies (governor.studies) ---------------------------------------------
# Each takes a governor.studies.StudyResult (or Deception) and draws its simulations beside
# the published figures the result carries; nothing is simulated here.

def _verdict(result) -> str:
    return "pass" if result.passed else "FAIL"


def _frame_speeds(ax: Axes) -> None:
    # frame the running speeds, not the first seconds' start from a standstill
    ys = np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()])
    ys = ys[np.isfinite(ys)]
    if ys.size:
        lo, hi = np.percentile(ys, [2.0, 100.0])
        pad = 0.1 * max(hi - lo, 0.2)
        ax.set_ylim(max(lo - pad, 0.5), hi + pad)


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


def plot_stone(result, ax: Axes | None = None) -> Axes:
    """T2 (Stone et al. 2012/2017): speed through the race alone and behind pacers believed
    to be the runner's best, actually 2 % and 5 % faster.

    Returns
    -------
    matplotlib.axes.Axes
        One speed line per run, labelled with its time change (and the +5 % runner's largest
        gap behind the pacer); published changes in the title.
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
        plot_speed(sim, ax=ax, label=label, color=colors.get(name), pace_axis=False)
    _frame_speeds(ax)
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


def plot_marcora(result, ax: Axes | None = None) -> Axes:
    """T8, Marcora & Staiano 2010: the speed the reserve's ceiling allows and the imposed
    demand over a time to exhaustion, governed (stopped by decision) and with the governor
    off (Morton's hyperbola), with the published margin left at exhaustion.

    Returns
    -------
    matplotlib.axes.Axes
        x: time [min]; y: flat-equivalent speed [m/s].
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        t = sim.time_s / 60.0
        ceiling = sim.column("recruitment_ceiling") * sim.params.v_max_mps
        ax.plot(t, ceiling, color=f"C{i}", label=f"ceiling, {name} ({sim.status})")
    sim = result.simulations["governed"]
    demand = sim.column("metabolic_speed_mps")
    ax.plot(sim.time_s / 60.0, demand, color="k", lw=0.8, label="demand")
    v_max = sim.params.v_max_mps
    published = demand[-1] + result.published_values["margin_left"] * (v_max - demand[-1])
    ax.plot([sim.time_s[-1] / 60.0], [published], "s", color="0.5",
            label="ceiling at exhaustion, published margin")
    return _label_study(ax, "time [min]", "speed [m/s]",
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


def plot_micklewright(result, ax: Axes | None = None) -> Axes:
    """T9, Micklewright et al. 2010: the mean speed of each km for the blind, the false-speed
    and the accurate second trial and the full-feedback third, the last quarter shaded.

    Returns
    -------
    matplotlib.axes.Axes
        One line per trial (x: km; y: mean speed over that km [m/s]).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        splits = sim.split_times_s(1000.0)
        ax.plot(splits.index / 1000.0, 1000.0 / splits.to_numpy(), "o-", ms=3, color=f"C{i}",
                alpha=0.85,
                label=f"{name} ({format_duration(sim.finish_time_s)})")
    total_km = next(iter(result.simulations.values())).distance_m / 1000.0
    ax.axvspan(0.75 * total_km + 0.5, total_km + 0.5, color="0.92", zorder=0,
               label="last quarter")
    return _label_study(ax, "km", "mean speed over the km [m/s]",
                        f"T9 Micklewright 2010: blind and false feedback ({_verdict(result)})")


def plot_ely_2010(result, ax: Axes | None = None) -> Axes:
    """T11, Ely et al. 2010: speed and core temperature through the 15-min time trials in
    temperate and hot air (after the 30-min preload).

    Returns
    -------
    matplotlib.axes.Axes
        Speed [m/s] against time [min] on the left axis, core temperature [degC] on a twin
        axis (dashed).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    core_ax = ax.twinx()
    for i, (name, sim) in enumerate(result.simulations.items()):
        minutes = sim.time_s / 60.0
        ax.plot(minutes, sim.column("speed_mps"), color=f"C{i}", lw=1.4,
                label=f"{name} ({sim.distance_m / 1000:.2f} km)")
        core_ax.plot(minutes, sim.column("core_temp_c"), color=f"C{i}", ls="--", lw=1.0)
    core_ax.set_ylabel("core temperature [°C] (dashed)")
    return _label_study(ax, "time in the trial [min]", "speed [m/s]",
                        f"T11 Ely 2010: 15-min trial in 21 and 40 °C ({_verdict(result)})")


def plot_levels(result, ax: Axes | None = None) -> Axes:
    """T13, Levels et al. 2012: speed and skin temperature through the control and the
    radiant race, the heated stretch shaded.

    Returns
    -------
    matplotlib.axes.Axes
        Speed [m/s] against distance [km] on the left axis, skin temperature [degC] on a
        twin axis (dashed).
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    skin_ax = ax.twinx()
    for i, (name, sim) in enumerate(result.simulations.items()):
        km = sim.column("distance_m") / 1000.0
        ax.plot(km, sim.column("speed_mps"), color=f"C{i}", lw=1.4,
                label=f"{name} ({format_duration(sim.finish_time_s)})")
        skin_ax.plot(km, sim.column("skin_temp_c"), color=f"C{i}", ls="--", lw=1.0)
    total_km = result.simulations["control"].distance_m / 1000.0
    ax.axvspan(0.2 * total_km, 0.8 * total_km, color="0.9", zorder=0,
               label="radiant load on")
    skin_ax.set_ylabel("skin temperature [°C] (dashed)")
    return _label_study(ax, "distance [km]", "speed [m/s]",
                        f"T13 Levels 2012: radiant heat on the skin ({_verdict(result)})")


def plot_racinais(result, ax: Axes | None = None) -> Axes:
    """T12, Racinais et al. 2015: speed through the cool trial and the hot trials after 0,
    5 and 13 days of heat training.

    Returns
    -------
    matplotlib.axes.Axes
        One line per trial (x: time [min]; y: speed [m/s]), its distance in the legend.
    """
    ax = _new_ax(ax, figsize=(6.0, 3.8))
    for i, (name, sim) in enumerate(result.simulations.items()):
        ax.plot(sim.time_s / 60.0, sim.column("speed_mps"), color=f"C{i}", lw=1.3,
                label=f"{name} ({sim.distance_m / 1000:.2f} km)")
    return _label_study(ax, "time [min]", "speed [m/s]",
                        f"T12 Racinais 2015: heat acclimatisation ({_verdict(result)})")


_STUDY_PLOTS = {"T1": plot_castle, "T2": plot_stone, "T3": plot_joseph, "T4": plot_tucker,
                "T5": plot_ely, "T6": plot_mauger, "T8": plot_marcora, "T9": plot_micklewright,
                "T10": plot_albertus, "T11": plot_ely_2010,
                "T12": plot_racinais, "T13": plot_levels}


def plot_study(result, ax: Axes | None = None):
    """The figure of any target from its :class:`governor.studies.StudyResult`;
    returns the Axes (an array of them for T7)."""
    if result.id.startswith("T7"):
        return plot_record_races(result) if ax is None else plot_record_race(result, ax=ax)
    if result.id not in _STUDY_PLOTS:
        raise ValueError(f"no figure for study {result.id!r}")
    return _STUDY_PLOTS[result.id](result, ax=ax)


def plot_false_feedback(results, axes: Sequence[Axes] | None = None) -> np.ndarray:
    """Four false-feedback studies in one figure: Castle 2012 (heat and a lie about it),
    Stone 2012 (pacers), Joseph 2008 (RPE against fraction completed) and Mauger 2009
    (unknown endpoint).

    Parameters
    ----------
    results
        StudyResults including T1, T2, T3 and T6 (a list, or ``{id: result}``).
    axes
        Four Axes; ``None`` makes a 2 x 2 figure.

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
        _STUDY_PLOTS[key](by_id[key], ax=ax)
    return axes


def plot_truth_vs_deception(deception, axes: Sequence[Axes] | None = None) -> np.ndarray:
    """Truth against deception: speed, reserve and core temperature of the same runner told
    the truth and deceived on one channel (:func:`governor.studies.truth_vs_deception`).

    The reserve panel marks the lowest reserve each run reaches; the core panel draws the
    model's core-temperature limit (``Params.core_temp_limit_c``) and, where it differs, the
    core temperature the deceived runner was shown.

    Returns
    -------
    numpy.ndarray
        Three Axes (speed, reserve, core temperature), lines labelled ``"truth"`` and
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
        plot_speed(sim, ax=ax_v, label=label, x=x, color=color, pace_axis=False)
    _frame_speeds(ax_v)
    ax_v.legend(frameon=False, fontsize="small")
    ax_v.set_xlabel("")

    for label, sim, color in runs:
        xs = x_values(sim, x)
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
        xs = x_values(sim, x)
        ax_t.plot(xs, sim.trace["core_temp_c"].to_numpy(), color=color,
                  label=f"{label}: peak {sim.trace['core_temp_c'].max():.2f} °C")
    shown = deceived.trace["displayed_core_temp_c"].to_numpy()
    if _differs(shown, deceived.trace["core_temp_c"].to_numpy()):
        ax_t.plot(x_values(deceived, x), shown, color="C1", ls=":",
                  label="deceived: core shown")
    ax_t.axhline(limit, color="k", lw=0.8, ls="--", label=f"core limit {limit:.1f} °C")
    ax_t.set_ylabel(column_label("core_temp_c"))
    ax_t.set_xlabel(_X_AXES[x])
    ax_t.legend(frameon=False, fontsize="small", loc="lower right")
    for ax in axes:
        ax.grid(True, alpha=0.3)
    lines = [textwrap.fill(part, 90) for part in deception.verdict().split("; ")]
    ax_v.set_title("Truth vs deception — " + "\n".join(lines), fontsize="medium")
    return axes


__all__ = [
    "plot_race", "plot_speed", "plot_splits", "plot_compare", "x_values", "column_label",
    "format_duration", "COLUMN_LABELS",
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


def _day_table(item):
    # a Block's day table, or a DataFrame by day (e.g. Block.what_if) as it is
    return item.days if hasattr(item, "days") else item


def plot_block(block, axes: Sequence[Axes] | None = None) -> np.ndarray:
    """A training block day by day, in four panels sharing the day axis.

    From top to bottom: each day's training load [AU] (bars; maximal efforts darker);
    fitness and fatigue [AU]; the effective critical speed [m/s] the day starts with, beside
    the usual one (of ``Params``: the habitual steady state); the perceived-effort offset
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
        speed"``, ``"usual critical speed"``, ``"perceived-effort offset"`` and
        ``"habitual"``; the bars ``"training load"``.
    """
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
    ax_cs.plot(x, with_final("effective_critical_speed_mps"), color="C0", marker=".",
               label="effective critical speed")
    ax_cs.axhline(block.params.critical_speed_mps, color="k", lw=0.8, ls="--",
                  label="usual critical speed")
    ax_cs.set_ylabel("critical speed [m/s]")
    ax_p.plot(x, with_final("rpe_offset_cr10"), color="C4", marker=".",
              label="perceived-effort offset")
    ax_p.axhline(0.0, color="k", lw=0.8, ls="--", label="habitual")
    ax_p.set_ylabel("RPE offset [CR10]")
    ax_p.set_xlabel("day")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", fontsize="small", frameon=False)
    return axes


def plot_block_days(blocks: Mapping[str, object], column: str, ax: Axes | None = None,
                    **line_kw) -> Axes:
    """One column of several blocks' day tables against the day, one line per block.

    Parameters
    ----------
    blocks
        ``{label: Block}`` (its ``days`` table) or ``{label: DataFrame}`` indexed by day
        (e.g. :meth:`governor.block.Block.what_if`).
    column
        A day-table column, e.g. ``"fatigue_au"``, ``"finish_time_s"``, ``"mean_rpe"``.
    ax
        Axes to draw on; ``None`` makes a new figure.
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per block, labelled with its key: x = day, y = the column; days without a
        value (rest days, for the session columns) are left out.

    Raises
    ------
    KeyError
        If a table has no such column.
    """
    ax = _new_ax(ax)
    line_kw.setdefault("marker", "o")
    for name, item in blocks.items():
        table = _day_table(item)
        if column not in table.columns:
            raise KeyError(f"day table has no column {column!r}")
        values = table[column].astype(float).dropna()
        ax.plot(values.index.to_numpy(), values.to_numpy(), label=str(name), **line_kw)
    ax.set_xlabel("day")
    ax.set_ylabel(BLOCK_COLUMN_LABELS.get(column, column))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_trials(blocks: Mapping[str, object], column: str = "finish_time_s",
                ax: Axes | None = None, **line_kw) -> Axes:
    """The maximal efforts of several blocks by trial number, one line per block.

    Parameters
    ----------
    blocks
        ``{label: Block}``; the maximal efforts of each (races, time trials, times to
        exhaustion) are its trials 1, 2, ...
    column
        A day-table column, e.g. ``"finish_time_s"`` or ``"reserve_left_fraction"``.
    ax
        Axes to draw on; ``None`` makes a new figure.
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per block, labelled with its key: x = trial number, y = the column.
    """
    ax = _new_ax(ax)
    line_kw.setdefault("marker", "o")
    for name, block in blocks.items():
        days = block.days
        if column not in days.columns:
            raise KeyError(f"day table has no column {column!r}")
        trials = days[days["maximal"].astype(bool)]
        ax.plot(np.arange(1, len(trials) + 1), trials[column].to_numpy(dtype=float),
                label=str(name), **line_kw)
    ax.set_xlabel("trial")
    ax.set_ylabel(BLOCK_COLUMN_LABELS.get(column, column))
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    return ax


__all__ += ["plot_block", "plot_block_days", "plot_trials", "BLOCK_COLUMN_LABELS"]
