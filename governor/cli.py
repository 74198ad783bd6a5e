"""The ``governor`` command: ``governor demo``, ``governor simulate``, ``governor fit``,
``governor predict``, ``governor info FILE``.

A thin edge over the library: each subcommand parses its arguments, builds the library's
configuration objects and calls :func:`governor.simulate`, :func:`governor.fit_many`,
:func:`governor.predict` or :func:`governor.io.info.main`. Invalid input is an argparse
error or one line ``governor COMMAND: error: ...`` on stderr that names the flag at fault,
exit code 2. Only what a command uses is imported, so ``governor --help`` starts at once.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

import governor as gv
from governor.params import NAMED_SETS
from governor.scenario import CHANNELS

#: The named parameter sets, by the name used on the command line.
PARAMETER_SETS = NAMED_SETS

# The demo's three conditions: (name, environment, feedback). "deceived" is the hot race with
# the runner told it is 26 degC and shown a core temperature 0.3 degC below the truth.
DEMO_CONDITIONS = (
    ("truthful", gv.Environment(temperature_c=20.0), gv.Feedback()),
    ("hot", gv.Environment(temperature_c=32.0), gv.Feedback()),
    ("deceived", gv.Environment(temperature_c=32.0),
     gv.Feedback(told_temperature_c=26.0, core_temp_offset_c=-0.3)),
)


#: The flag of each keyword a library error may name (scenario fields, fit_many options).
FLAGS = {
    "temperature_c": "--temperature", "relative_humidity": "--humidity",
    "solar_w_m2": "--sun", "heat_acclimatisation_days": "--heat-days",
    "afferent_gain": "--afferent-gain", "experience": "--experience",
    "distance_m": "--race", "duration_s": "--time-trial", "speed_mps": "--tte",
    **{ch.name: ch.flag for ch in CHANNELS if ch.flag is not None},
}
#: fit_many's options as ``governor fit`` spells them (see governor.batch.OptionError).
FIT_FLAGS = {"out": "--out", "resume": "--resume", "overwrite": "--overwrite",
             "effort": "--effort", "workers": "--workers", "scheduler": "--scheduler",
             "vary": "--vary"}


def _in_flags(message: str) -> str:
    """A library message with each keyword it names (``temperature_c``) called by its flag
    (``--temperature``)."""
    owner = r"(?:\b(?:Environment|Feedback|Modifiers|Race|TimeTrial|TimeToExhaustion)[.:] ?)?"
    return re.sub(owner + r"\b(" + "|".join(map(re.escape, FLAGS)) + r")\b( ?= ?)?",
                  lambda m: FLAGS[m.group(1)] + (" " if m.group(2) else ""), message)


def _fail(command: str, message: str, code: int = 2) -> int:
    """One line ``governor COMMAND: error: MESSAGE`` on stderr; return ``code``."""
    print(f"governor {command}: error: {message}", file=sys.stderr)
    return code


# ------------------------------------------------------------------------------ formatting
def _clock(seconds: float, hours: bool = True) -> str:
    """``h:mm:ss`` (or ``m:ss`` with ``hours=False``) of a duration [s]."""
    s = int(round(seconds))
    if hours:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def _whole_splits(sim, per: str = "km") -> tuple[float, float, float] | None:
    """The first, last and mean whole ``per`` (km or mile) of a run [s each], or None when
    it covered under two."""
    from governor.units import unit_metres

    unit = unit_metres(per)
    if sim.distance_m < 2.0 * unit:
        return None
    splits = sim.split_times_s(unit)
    marks = np.asarray(splits.index, dtype=float) / unit
    full = splits[np.isclose(marks, np.round(marks))]
    return float(full.iloc[0]), float(full.iloc[-1]), float(full.mean())


def _runner_summary(sim, per: str = "km") -> list[tuple[str, str]]:
    """A simulation's summary as a runner reads it: times as h:mm:ss, pace per ``per``
    ("km" or "mile"), the reserve in metres of D' and as a share, with the SI value in
    brackets where a scientist wants it."""
    from governor.units import format_pace, unit_metres

    s = sim.summary()
    unit = unit_metres(per)
    rows = [("protocol", s["protocol"]), ("status", s["status"]),
            ("finish" if s["protocol"] == "Race" else "time",
             f"{_clock(s['finish_time_s'])}  ({s['finish_time_s']:.1f} s)"),
            ("distance", f"{s['distance_m'] / unit:.2f} {'km' if per == 'km' else 'miles'}  "
                         f"({s['distance_m']:.0f} m)"),
            ("mean pace", f"{format_pace(s['mean_speed_mps'], per)}  "
                          f"({s['mean_speed_mps']:.2f} m/s)")]
    splits = _whole_splits(sim, per)
    if splits is not None:
        first, last, mean = splits
        rows += [(f"first {per}", _clock(first, hours=False)),
                 (f"last {per}", _clock(last, hours=False)),
                 ("end spurt", f"{100.0 * (mean / last - 1.0):+.1f} % (last {per} against "
                               f"the mean {per}; negative: slower)")]
    rows += [("peak core temp", f"{s['peak_core_temp_c']:.2f} °C"),
             ("final effort", f"{s['final_rpe']:.1f} of 10 (CR10 perceived exertion)"),
             ("reserve left", f"{s['reserve_left_m']:.0f} m of D' "
                              f"({100.0 * s['reserve_left_fraction']:.0f} %)"),
             ("peak heart rate", f"{s['peak_heart_rate_bpm']:.0f} bpm")]
    return rows


def _describe_feedback(feedback: gv.Feedback) -> str:
    """The fields of ``feedback`` that differ from the truth, as ``name=value``."""
    truth = gv.Feedback()
    changed = [f"{f.name}={getattr(feedback, f.name)!r}" for f in fields(feedback)
               if getattr(feedback, f.name) != getattr(truth, f.name)]
    return ", ".join(changed) if changed else "truthful"


# ------------------------------------------------------------------------------ feedback
def _add_feedback_flags(group: argparse._ArgumentGroup) -> None:
    """One option per feedback channel that declares a flag (governor.scenario.CHANNELS)."""
    for ch in CHANNELS:
        if ch.flag is None:
            continue
        dest = f"feedback_{ch.name}"
        if ch.form == "flag":
            group.add_argument(ch.flag, dest=dest, action="store_true", help=ch.help)
        elif ch.form == "positions":
            group.add_argument(ch.flag, dest=dest, type=float, nargs="+", metavar=ch.metavar,
                               help=ch.help)
        else:
            default = "" if ch.truth is None else f" (default: {ch.truth:g})"
            group.add_argument(ch.flag, dest=dest, type=float, metavar=ch.metavar,
                               help=ch.help + default)


def _feedback_from(args: argparse.Namespace) -> gv.Feedback:
    """The Feedback of the channel options given (a flag sets its channel against the
    truth); the rest tell the truth."""
    values = {}
    for ch in CHANNELS:
        given = getattr(args, f"feedback_{ch.name}", None)
        if ch.flag is None or given is None or given is False:
            continue
        values[ch.name] = (not ch.truth) if ch.form == "flag" else given
    return gv.Feedback(**values)


# ------------------------------------------------------------------------------ demo
def _demo(args: argparse.Namespace) -> int:
    protocol = gv.Race(args.distance)
    per = "mile" if args.miles else "km"
    print(f"governor demo: a {args.distance:g} m race for each parameter set in three conditions")
    print("  truthful  20 °C, told the truth")
    print("  hot       32 °C, told the truth")
    print("  deceived  32 °C, told 26 °C and shown a core temperature 0.3 °C low")
    print()
    header = (f"{'set':<13}{'condition':<10}{'finish':>9}{'first ' + per:>12}"
              f"{'last ' + per:>11}{'end spurt %':>13}{'peak core °C':>14}")
    print(header)
    print("-" * len(header))
    runs = []
    for set_name, params in PARAMETER_SETS.items():
        for cond_name, environment, feedback in DEMO_CONDITIONS:
            sim = gv.simulate(params, protocol, environment=environment, feedback=feedback)
            runs.append((set_name, cond_name, sim))
            s = sim.summary()
            splits = _whole_splits(sim, per)
            first, last, spurt = "-", "-", "-"
            if splits is not None:
                first, last = (_clock(t, hours=False) for t in splits[:2])
                spurt = f"{100.0 * (splits[2] / splits[1] - 1.0):+.1f}"
            finish = _clock(s["finish_time_s"])
            if sim.status != "finished":
                finish += f" ({sim.status})"
            print(f"{set_name:<13}{cond_name:<10}{finish:>9}{first:>12}{last:>11}{spurt:>13}"
                  f"{s['peak_core_temp_c']:>14.2f}")
    print()
    print(f"first and last {per}: the time each took, which is the pace per {per} there")
    print(f"end spurt %: how much faster the last {per} is than the mean {per} "
          "(negative: slower)")
    out = Path(args.out)
    try:
        _demo_figure(runs, args.distance, "imperial" if args.miles else "metric").savefig(
            out, dpi=110)
    except OSError as exc:
        return _fail("demo", f"cannot write the figure {out}: {exc.strerror or exc}", code=1)
    print(f"figure: {out.resolve()}")
    if args.no_fit:
        return 0
    print()
    return _demo_fit(args)


def _sample_logs_folder(given: str | None) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """The bundled sample logs: ``given``, else ``data/logs`` of the source tree (or of the
    current folder), else freshly written into a temporary folder (they are generated by
    :func:`governor.io.samples.make_sample_logs`, byte for byte the bundled files)."""
    if given is not None:
        return Path(given), None
    for root in (Path(__file__).resolve().parents[1], Path.cwd()):
        folder = root / "data" / "logs"
        if any(folder.glob("governor-sample-*")):
            return folder, None
    from governor.io.samples import make_sample_logs

    tmp = tempfile.TemporaryDirectory(prefix="governor-samples-")
    make_sample_logs(tmp.name)
    return Path(tmp.name), tmp


def _demo_fit(args: argparse.Namespace) -> int:
    from governor.batch import BatchError, fit_many, summarise

    folder, tmp = _sample_logs_folder(args.logs)
    try:
        print(f"governor demo: fitting every log in {folder} in parallel "
              "(governor fit, one row per log)")
        print("  the same five sessions as GPX, TCX and CSV: the GPX files carry GPS "
              "positions only, so their speed is noisier than the devices' own")
        try:
            table = fit_many(folder, out=args.fits, overwrite=True, progress=not args.quiet)
        except (BatchError, ValueError) as exc:
            return _fail("demo", str(exc), code=1)
        print(summarise(table))
        print(f"results: {Path(args.fits).resolve()} ({len(table)} rows)")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0 if table["status"].isin(["ok", "skipped"]).all() else 1


def _demo_figure(runs, distance_m: float, units: str = "metric"):
    """Pace against distance (faster higher, m:ss per km, or per mile with
    ``units="imperial"``; speed [m/s] on the right), one panel per parameter set, one line
    per condition."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from governor.plot import set_pace_axis
    from governor.units import pace_s, pace_unit, unit_metres

    per = pace_unit(units)
    unit_m = unit_metres(per)
    fig = Figure(figsize=(12, 4), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(PARAMETER_SETS), sharex=True)
    styles = {"truthful": ("tab:blue", "-"), "hot": ("tab:red", "-"),
              "deceived": ("tab:orange", "--")}
    for i, (ax, set_name) in enumerate(zip(axes, PARAMETER_SETS, strict=True)):
        for name, cond_name, sim in runs:
            if name != set_name:
                continue
            tr = sim.trace
            color, style = styles[cond_name]
            ax.plot(tr["distance_m"] / unit_m, pace_s(tr["speed_mps"].to_numpy(), per),
                    color=color, linestyle=style,
                    label=f"{cond_name} ({_clock(sim.finish_time_s)})")
        # framed on the running paces: the start from rest is off the bottom
        speed = set_pace_axis(ax, units, label=f"pace [min/{per}]" if i == 0 else "")
        speed.set_ylabel("speed [m/s]" if i == len(axes) - 1 else "")
        ax.set_title(set_name)
        ax.set_xlabel(f"distance [{per}]")
        ax.set_xlim(0.0, distance_m / unit_m)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle(f"{distance_m:g} m race: truthful 20 °C, hot 32 °C, "
                 "deceived (32 °C, told 26 °C, core shown 0.3 °C low)")
    return fig


# ------------------------------------------------------------------------------ simulate
def _simulate(args: argparse.Namespace) -> int:
    params = PARAMETER_SETS[args.set]
    if args.race is not None:
        protocol = gv.Race(args.race)
    elif args.time_trial is not None:
        protocol = gv.TimeTrial(args.time_trial)
    else:
        protocol = gv.TimeToExhaustion(args.tte)
    environment = gv.Environment(temperature_c=args.temperature,
                                 relative_humidity=args.humidity, solar_w_m2=args.sun)
    feedback = _feedback_from(args)
    modifiers = gv.Modifiers(afferent_gain=args.afferent_gain, experience=args.experience,
                             heat_acclimatisation_days=args.heat_days)
    sim = gv.simulate(params, protocol, environment=environment, feedback=feedback,
                      modifiers=modifiers)

    sun = f", sun {args.sun:g} W/m²" if args.sun else ""
    print(f"{args.set} runner, {protocol.description}, {args.temperature:g} °C, "
          f"relative humidity {args.humidity:g}{sun}; feedback: "
          f"{_describe_feedback(feedback)}")
    if modifiers != gv.Modifiers():
        print(f"modifiers: {modifiers}")
    rows = _runner_summary(sim, "mile" if args.miles else "km")
    width = max(len(k) for k, _ in rows) + 2
    for key, value in rows:
        print(f"{key:<{width}}{value}")
    if args.out is not None:
        out = Path(args.out)
        try:
            sim.trace.to_csv(out)
        except OSError as exc:
            return _fail("simulate", f"cannot write the trace {out}: {exc.strerror or exc}",
                         code=1)
        print(f"trace: {out.resolve()} ({len(sim.trace)} rows)")
    return 0


# ------------------------------------------------------------------------------ fit
SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|ucx|ws|wss|inproc)://[^\s/]+(:\d+)?/?$")


def _fit(args: argparse.Namespace) -> int:
    from governor.batch import BatchError, OptionError, fit_many, summarise

    out = Path(args.out)
    if out.suffix.lower() not in (".parquet", ".csv"):
        return _usage(f"--out must end in .parquet or .csv, got {args.out}")
    if args.scheduler is not None and args.workers is not None:
        return _usage("--workers sizes the local pool; a cluster's size is its own: give "
                      "--workers or --scheduler, not both")
    if args.scheduler is not None and not SCHEDULER_ADDRESS.match(args.scheduler):
        return _usage(f"--scheduler must be a Dask scheduler address such as "
                      f"tcp://host:8786, got {args.scheduler!r}")
    group_by = None
    if args.athlete_from is not None:
        if args.athlete_from == "folder":
            group_by = "folder"
        elif os.path.isfile(args.athlete_from):
            group_by = args.athlete_from
        else:
            return _usage(f"--athlete-from must be 'folder' or a manifest CSV file; "
                          f"{args.athlete_from} is neither")
    try:
        table = fit_many(args.sources, out=out, workers=args.workers,
                         scheduler=args.scheduler, resume=args.resume,
                         overwrite=args.overwrite, group_by=group_by, effort=args.effort,
                         temperature_c=args.temperature, params=PARAMETER_SETS[args.set],
                         vary=args.vary, exclude=args.exclude, progress=not args.quiet)
    except OptionError as exc:
        return _usage(exc.worded(FIT_FLAGS))
    except ValueError as exc:  # a manifest that cannot be read
        return _usage(str(exc))
    except BatchError as exc:
        return _fail("fit", str(exc), code=1)
    except KeyboardInterrupt:
        print(f"\ninterrupted: the logs that finished are kept in {out}.parts; run the same "
              "command with --resume to go on", file=sys.stderr)
        return 130
    failed = table[table["status"].isin(["unreadable", "fit failed"])]
    if not args.quiet:
        print(summarise(table, units="imperial" if args.miles else "metric"))
        print(f"results: {out.resolve()} ({len(table)} rows)")
    elif not failed.empty:
        print(f"{len(failed)} of {len(table)} fits failed; see {out}", file=sys.stderr)
    return 1 if not failed.empty else 0


def _usage(message: str) -> int:
    return _fail("fit", message)


# ------------------------------------------------------------------------------ info
def _info(args: argparse.Namespace) -> int:
    from governor.io.info import main as info_main

    return info_main(args.files)


# ------------------------------------------------------------------------------ predict
def _predict_fail(message: str) -> int:
    return _fail("predict", message)


def _params_from_fits(path: str, athlete: str | None):
    """A runner from a ``governor fit`` table (CSV or Parquet): the athlete's joint row,
    or the table's only row; with the standard errors of what was fitted."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise ValueError(f"{path}: no such file")
    table = pd.read_parquet(p) if p.suffix.lower() in (".parquet", ".pq") else pd.read_csv(p)
    if athlete is not None:
        if "athlete" not in table:
            raise ValueError(f"{path}: has no athlete column (fit with --athlete-from)")
        rows = table[(table["athlete"].astype(str) == athlete)]
        if "level" in rows:
            joint = rows[rows["level"] == "athlete"]
            rows = joint if len(joint) else rows
        if rows.empty:
            names = sorted(set(table["athlete"].dropna().astype(str)) - {""})
            raise ValueError(f"{path}: no athlete {athlete!r}; it has "
                             + (", ".join(names) if names else "none"))
    else:
        rows = table
    ok = rows[rows["status"] == "ok"] if "status" in rows else rows
    if len(ok) != 1:
        raise ValueError(f"{path}: {len(ok)} fitted rows"
                         + ("" if athlete else "; name one with --athlete"))
    row = ok.iloc[0]
    values = {n: float(row[n]) for n in gv.Params.names() if n in row and pd.notna(row[n])}
    return gv.TRAINED.replace(**values)


def _predict(args: argparse.Namespace) -> int:
    from governor.predict import parse_results, predict, race_distance_m

    if (args.results is None) == (args.fits is None):
        return _predict_fail("give --results or --fits (one of them)")
    try:
        race = race_distance_m(args.race)
    except ValueError as exc:
        return _predict_fail(str(exc))
    try:
        source = (parse_results(args.results) if args.results is not None
                  else _params_from_fits(args.fits, args.athlete))
    except (ValueError, OSError) as exc:
        return _predict_fail(str(exc))
    course = None
    if args.course is not None:
        try:
            course = gv.Course.from_log(args.course)
        except gv.LogError as exc:
            return _predict_fail(str(exc))
    try:
        env = gv.Environment.from_forecast(
            args.temperature, humidity=args.humidity, wind_kmh=args.wind,
            sky=float(args.sky) if re.fullmatch(r"\d+(\.\d*)?", args.sky) else args.sky,
            warming_c_per_h=args.warming)
    except ValueError as exc:
        return _predict_fail(str(exc))
    units = "imperial" if args.miles else "metric"
    pred = predict(source, race, weekly_km=args.weekly_km, course=course, environment=env)
    print(pred.report(units))
    if args.compare:
        table = pred.compare()
        print("\nwhat if (the same runner and course):")
        shown = table[["finish", "vs_plan_s", "what"]].copy()
        shown["vs_plan_s"] = shown["vs_plan_s"].map(lambda x: f"{x:+.0f} s")
        print(shown.rename(columns={"vs_plan_s": "vs plan"}).to_string())
    if args.plan is not None:
        try:
            plan = pred.pacing_plan(units).drop(columns=["marker_m"])
            plan.to_csv(args.plan, index=False)
        except OSError as exc:
            return _fail("predict", f"cannot write {args.plan}: {exc}", code=1)
        print(f"plan written to {args.plan}")
    return 0


# ------------------------------------------------------------------------------ parser
def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="governor",
        description="A central-governor model of running fatigue: simulate races, "
                    "deceive the runner, read training logs and fit the model to them.",
    )
    parser.add_argument("--version", action="version", version=f"governor {gv.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser(
        "demo", help="race the three named runners truthfully, in heat and deceived",
        description="Simulate a race for the recreational, trained and elite runners in "
                    "three conditions (truthful 20 °C; hot 32 °C; deceived: 32 °C but told "
                    "26 °C and shown a core temperature 0.3 °C low), print a table and "
                    "draw speed against distance.")
    demo.add_argument("--out", default="governor-demo.png", metavar="FIGURE.png",
                      help="where to write the figure (default: %(default)s)")
    demo.add_argument("--distance", type=float, default=10000.0, metavar="METRES",
                      help="race distance [m] (default: %(default)g)")
    demo.add_argument("--fits", default="governor-demo-fits.csv", metavar="RESULTS.csv",
                      help="where to write the table of fits to the sample logs "
                           "(default: %(default)s)")
    demo.add_argument("--logs", metavar="FOLDER",
                      help="fit the logs in this folder instead of the bundled samples")
    demo.add_argument("--no-fit", action="store_true",
                      help="only the races: do not batch-fit the sample logs")
    demo.add_argument("--miles", action="store_true",
                      help="splits and pace by the mile (default: by the km)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=_demo)

    sim = sub.add_parser(
        "simulate", help="simulate one effort and print its summary",
        description="Simulate one runner through one effort and print the summary. "
                    "Feedback options change what the runner is told, not the truth.")
    sim.add_argument("--set", type=str.lower, choices=list(PARAMETER_SETS), default="trained",
                     help="named parameter set (default: %(default)s)")
    what = sim.add_mutually_exclusive_group(required=True)
    what.add_argument("--race", type=float, metavar="METRES",
                      help="race this distance [m] as fast as possible")
    what.add_argument("--time-trial", type=float, metavar="SECONDS",
                      help="cover as much distance as possible in this time [s]")
    what.add_argument("--tte", type=float, metavar="SPEED",
                      help="time to exhaustion at this imposed speed [m/s]")
    env = sim.add_argument_group("conditions (the truth)")
    env.add_argument("--temperature", type=float, default=20.0, metavar="C",
                     help="air temperature [°C] (default: %(default)g)")
    env.add_argument("--humidity", type=float, default=0.5, metavar="F",
                     help="relative humidity as a fraction 0-1 (default: %(default)g)")
    env.add_argument("--sun", type=float, default=0.0, metavar="W_M2",
                     help="direct sunlight on the runner [W/m²]: about 800-1000 under a clear "
                          "midday sky, 0 in shade or overcast (default: %(default)g)")
    env.add_argument("--heat-days", type=float, default=0.0, metavar="DAYS",
                     help="days of training in the heat before the effort: heat "
                          "acclimatisation, most of it within a week (default: %(default)g)")
    told = sim.add_argument_group("feedback (what the runner is told; default: the truth)")
    _add_feedback_flags(told)
    mind = sim.add_argument_group("state of mind")
    mind.add_argument("--afferent-gain", type=float, default=1.0, metavar="G",
                      help="scales afferent signals; below 1 is afferent blockade "
                           "(default: %(default)g)")
    mind.add_argument("--experience", type=float, default=10.0, metavar="N",
                      help="previous maximal efforts of this length (default: %(default)g)")
    sim.add_argument("--miles", action="store_true",
                     help="pace per mile and splits by the mile (default: per km)")
    sim.add_argument("--out", metavar="TRACE.csv",
                     help="also write the trace (SI units, one row per step) as CSV")
    sim.set_defaults(handler=_simulate)

    fitp = sub.add_parser(
        "fit", help="fit the model to many logs in parallel; one row per log",
        description="Read and fit every log given (files, globs, folders searched "
                    "recursively), in a process per core or on a Dask cluster. Each row is "
                    "saved as its log finishes; --resume goes on after an interruption. "
                    "Exit status: 0 every log fitted or skipped, 1 some could not be read "
                    "or fitted, 2 invalid arguments.")
    fitp.add_argument("sources", nargs="+", metavar="SOURCE",
                      help="activity log, glob (quote it) or folder")
    fitp.add_argument("--out", default="governor-fits.parquet", metavar="RESULTS",
                      help="results table, .parquet or .csv (default: %(default)s)")
    fitp.add_argument("--workers", type=_non_negative_int, metavar="N",
                      help="local worker processes (default: one per core; 0: in this "
                           "process)")
    fitp.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                      help="run on this Dask cluster instead of locally")
    again = fitp.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="keep the rows already in --out and fit only the rest")
    again.add_argument("--overwrite", action="store_true",
                       help="replace an existing --out")
    fitp.add_argument("--effort", choices=["race", "intervals", "training", "auto"],
                      default="auto",
                      help="what the logs hold (default: %(default)s, detected per log)")
    group = fitp.add_mutually_exclusive_group()
    group.add_argument("--per-log", action="store_true",
                       help="fit each log on its own (the default)")
    group.add_argument("--athlete-from", metavar="folder|MANIFEST.csv",
                       help="group logs by athlete (the folder they are in, or a CSV with "
                            "columns file,athlete[,effort,temperature_c]) and also fit "
                            "each athlete's logs jointly")
    fitp.add_argument("--exclude", action="append", default=[], metavar="PATH",
                      help="leave this file or folder out (repeatable)")
    fitp.add_argument("--temperature", type=float, metavar="C",
                      help="air temperature of the logs [°C] (default: 15, and said so)")
    fitp.add_argument("--set", type=str.lower, choices=list(PARAMETER_SETS),
                      default="trained",
                      help="parameter set to start from and hold (default: %(default)s)")
    fitp.add_argument("--vary", nargs="+", metavar="PARAM",
                      help="the parameters to fit, by their names in governor.Params (e.g. "
                           "critical_speed_mps d_prime_m); default: what each log informs")
    fitp.add_argument("--miles", action="store_true",
                      help="the table's critical speed as pace per mile (default: per km)")
    fitp.add_argument("--quiet", action="store_true",
                      help="no progress bar and no table; failures on stderr")
    fitp.set_defaults(handler=_fit)

    pred = sub.add_parser(
        "predict", help="predict a race: finish time, interval and a pacing plan",
        description="Predict a race from race results (or a fit table) on a course, in the "
                    "forecast weather: the finish time with its 95 % interval, Riegel and "
                    "the CS/D' model beside it, and the pace per km the governor would run.",
        epilog="example: governor predict --results 10k=41:30 half=1:32:10 --race marathon "
               "--temperature 22 --course route.gpx")
    src = pred.add_argument_group("the runner (one of)")
    src.add_argument("--results", nargs="+", metavar="DIST=TIME",
                     help="race results, e.g. 10k=41:30 half=1:32:10 5000=19:45 "
                          "(names: 5k 10k 15k half marathon mile; or metres, 10km, 13.1mi)")
    src.add_argument("--fits", metavar="FITS.csv|.parquet",
                     help="a table written by governor fit")
    src.add_argument("--athlete", metavar="NAME", help="with --fits: the athlete's row")
    pred.add_argument("--race", required=True, metavar="RACE",
                      help="the race to predict: 5k, 10k, half, marathon, or metres")
    pred.add_argument("--weekly-km", type=float, default=None, metavar="KM",
                      help="typical weekly training volume [km/week]")
    pred.add_argument("--course", metavar="ROUTE.gpx",
                      help="the course: a GPX route or track, or any log")
    pred.add_argument("--temperature", type=float, default=12.0, metavar="C",
                      help="air temperature at the start [°C] (default 12)")
    pred.add_argument("--humidity", type=float, default=50.0, metavar="PCT",
                      help="relative humidity [%%] (default 50)")
    pred.add_argument("--wind", type=float, default=0.0, metavar="KMH",
                      help="forecast wind speed [km/h] (default 0)")
    pred.add_argument("--sky", default="overcast",
                      help="clear, partly, overcast or night, or sun in W/m² "
                           "(default overcast)")
    pred.add_argument("--warming", type=float, default=None, metavar="C_PER_H",
                      help="temperature change during the race [°C per hour]")
    pred.add_argument("--miles", action="store_true", help="pace per mile")
    pred.add_argument("--plan", metavar="PLAN.csv", help="write the pacing plan to a CSV")
    pred.add_argument("--compare", action="store_true",
                      help="also print what-ifs: cooler, warmer, even pace, a fast first "
                           "half, a pacer, a watch that reads long")
    pred.set_defaults(handler=_predict)

    info = sub.add_parser("info", help="summarise activity logs (GPX, TCX, FIT, CSV)",
                          description="Print a summary and the cleaning report of each log.")
    info.add_argument("files", nargs="+", metavar="FILE", help="activity log(s)")
    info.set_defaults(handler=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``governor`` command with ``argv`` (default: ``sys.argv[1:]``); return the
    exit code: 0 success, 1 a failed file or output, 2 invalid arguments or scenario."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.handler(args)
    except ValueError as exc:  # the library refused a value: say which flag gave it
        return _fail(args.command, _in_flags(str(exc)))
    except BrokenPipeError:
        # the reader closed the pipe (``| head``): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
