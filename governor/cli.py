"""The ``governor`` command: ``governor demo``, ``governor simulate``, ``governor info FILE``.

A thin edge over the library: each subcommand parses its arguments, builds the library's
configuration objects and calls :func:`governor.simulate` (or :func:`governor.io.info.main`).
Invalid input is an argparse error or a one-line ``error: ...`` on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

import governor as gv

#: The named parameter sets, by the name used on the command line.
PARAMETER_SETS = {"recreational": gv.RECREATIONAL, "trained": gv.TRAINED, "elite": gv.ELITE}

# The demo's three conditions: (name, environment, feedback). "deceived" is the hot race with
# the runner told it is 26 degC and shown a core temperature 0.3 degC below the truth.
DEMO_CONDITIONS = (
    ("truthful", gv.Environment(temperature_c=20.0), gv.Feedback()),
    ("hot", gv.Environment(temperature_c=32.0), gv.Feedback()),
    ("deceived", gv.Environment(temperature_c=32.0),
     gv.Feedback(told_temperature_c=26.0, core_temp_offset_c=-0.3)),
)


# ------------------------------------------------------------------------------ formatting
def _clock(seconds: float, hours: bool = True) -> str:
    """``h:mm:ss`` (or ``m:ss`` with ``hours=False``) of a duration [s]."""
    s = int(round(seconds))
    if hours:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def _format_value(key: str, value: object) -> str:
    if not isinstance(value, float):
        return str(value)
    if key.endswith("_s"):
        return f"{value:.1f}  ({_clock(value, hours=value >= 3600 or key == 'finish_time_s')})"
    if key.endswith("_fraction"):
        return f"{value:.3f}"
    return f"{value:.2f}"


def _describe_protocol(protocol) -> str:
    if isinstance(protocol, gv.Race):
        return f"race of {protocol.distance_m:g} m"
    if isinstance(protocol, gv.TimeTrial):
        return f"time trial of {protocol.duration_s:g} s"
    return f"time to exhaustion at {protocol.speed_mps:g} m/s"


def _describe_feedback(feedback: gv.Feedback) -> str:
    """The fields of ``feedback`` that differ from the truth, as ``name=value``."""
    truth = gv.Feedback()
    changed = [f"{f.name}={getattr(feedback, f.name)!r}" for f in fields(feedback)
               if getattr(feedback, f.name) != getattr(truth, f.name)]
    return ", ".join(changed) if changed else "truthful"


# ------------------------------------------------------------------------------ demo
def _demo(args: argparse.Namespace) -> int:
    protocol = gv.Race(args.distance)
    print(f"governor demo: a {args.distance:g} m race for each parameter set in three conditions")
    print("  truthful  20 °C, told the truth")
    print("  hot       32 °C, told the truth")
    print("  deceived  32 °C, told 26 °C and shown a core temperature 0.3 °C low")
    print()
    header = (f"{'set':<13}{'condition':<10}{'finish':>9}{'first km':>10}{'last km':>9}"
              f"{'end spurt %':>13}{'peak core °C':>14}")
    print(header)
    print("-" * len(header))
    runs = []
    for set_name, params in PARAMETER_SETS.items():
        for cond_name, environment, feedback in DEMO_CONDITIONS:
            sim = gv.simulate(params, protocol, environment=environment, feedback=feedback)
            runs.append((set_name, cond_name, sim))
            s = sim.summary()
            first = _clock(s["first_km_s"], hours=False) if "first_km_s" in s else "-"
            last = _clock(s["last_km_s"], hours=False) if "last_km_s" in s else "-"
            spurt = f"{s['end_spurt_pct']:+.1f}" if "end_spurt_pct" in s else "-"
            finish = _clock(s["finish_time_s"])
            if sim.status != "finished":
                finish += f" ({sim.status})"
            print(f"{set_name:<13}{cond_name:<10}{finish:>9}{first:>10}{last:>9}{spurt:>13}"
                  f"{s['peak_core_temp_c']:>14.2f}")
    print()
    print("end spurt %: how much faster the last km is than the mean km (negative: slower)")
    out = Path(args.out)
    try:
        _demo_figure(runs, args.distance).savefig(out, dpi=110)
    except OSError as exc:
        print(f"error: cannot write the figure {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"figure: {out.resolve()}")
    return 0


def _demo_figure(runs, distance_m: float):
    """Speed against distance, one panel per parameter set, one line per condition."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(PARAMETER_SETS), sharex=True)
    styles = {"truthful": ("tab:blue", "-"), "hot": ("tab:red", "-"),
              "deceived": ("tab:orange", "--")}
    for ax, set_name in zip(axes, PARAMETER_SETS, strict=True):
        for name, cond_name, sim in runs:
            if name != set_name:
                continue
            tr = sim.trace
            color, style = styles[cond_name]
            ax.plot(tr["distance_m"] / 1000.0, tr["speed_mps"], color=color, linestyle=style,
                    label=f"{cond_name} ({_clock(sim.finish_time_s)})")
        cruising = [sim.trace["speed_mps"][sim.trace["distance_m"] > 200.0].min()
                    for name, _, sim in runs if name == set_name]
        ax.set_ylim(bottom=0.9 * min(cruising))  # the start from rest is off the bottom
        ax.set_title(set_name)
        ax.set_xlabel("distance [km]")
        ax.set_xlim(0.0, distance_m / 1000.0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    axes[0].set_ylabel("speed [m/s]")
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
                                 relative_humidity=args.humidity)
    feedback = gv.Feedback(distance_scale=args.distance_scale, clock_rate=args.clock_rate,
                           told_temperature_c=args.told_temperature,
                           pacer_factor=args.pacer_factor,
                           endpoint_known=not args.unknown_endpoint)
    modifiers = gv.Modifiers(afferent_gain=args.afferent_gain, experience=args.experience)
    sim = gv.simulate(params, protocol, environment=environment, feedback=feedback,
                      modifiers=modifiers)

    print(f"{args.set} runner, {_describe_protocol(protocol)}, {args.temperature:g} °C, "
          f"relative humidity {args.humidity:g}; feedback: {_describe_feedback(feedback)}")
    if modifiers != gv.Modifiers():
        print(f"modifiers: {modifiers}")
    summary = sim.summary()
    width = max(len(k) for k in summary) + 2
    for key, value in summary.items():
        print(f"{key:<{width}}{_format_value(key, value)}")
    if args.out is not None:
        out = Path(args.out)
        try:
            sim.trace.to_csv(out)
        except OSError as exc:
            print(f"error: cannot write the trace {out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"trace: {out.resolve()} ({len(sim.trace)} rows)")
    return 0


# ------------------------------------------------------------------------------ info
def _info(args: argparse.Namespace) -> int:
    from governor.io.info import main as info_main

    return info_main(args.files)


# ------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="governor",
        description="A central-governor model of running fatigue: simulate races, "
                    "deceive the runner, read training logs.",
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
    told = sim.add_argument_group("feedback (what the runner is told; default: the truth)")
    told.add_argument("--told-temperature", type=float, metavar="C",
                      help="air temperature the runner is told [°C]")
    told.add_argument("--pacer-factor", type=float, metavar="F",
                      help="races: a pacer believed to match the runner's best, actually "
                           "this factor faster (e.g. 1.02)")
    told.add_argument("--distance-scale", type=float, default=1.0, metavar="F",
                      help="displayed distance = F x true distance (default: %(default)g)")
    told.add_argument("--clock-rate", type=float, default=1.0, metavar="F",
                      help="perceived seconds per true second (default: %(default)g)")
    told.add_argument("--unknown-endpoint", action="store_true",
                      help="race or time trial: the runner is not told where it ends")
    mind = sim.add_argument_group("state of mind")
    mind.add_argument("--afferent-gain", type=float, default=1.0, metavar="G",
                      help="scales afferent signals; below 1 is afferent blockade "
                           "(default: %(default)g)")
    mind.add_argument("--experience", type=float, default=10.0, metavar="N",
                      help="previous maximal efforts of this length (default: %(default)g)")
    sim.add_argument("--out", metavar="TRACE.csv", help="also write the trace as CSV")
    sim.set_defaults(handler=_simulate)

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
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
