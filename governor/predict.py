"""Race prediction: a finish time with its interval, splits and a pacing plan for a given
course and weather, from a fit, a parameter set, or a runner's race results.

The governed runner of the model runs the race; what it predicts is therefore its own
pacing on that course, in that weather, with the reserve it holds and releases at the end.

From results only, three things are estimated (:func:`fit_results`):

- critical speed (CS) and D' from the results' times (each result weighted by the
  race-to-race variability of a runner's times, Hopkins & Hewson 2001);
- D' also from a population prior where one result cannot separate it from CS;
- durability, from a population relation: Smyth & Muniz-Pumares 2020 found recreational
  marathoners running 93.0 % of their CS over a 150-min marathon and 78.9 % over a 360-min
  one (prediction error 7.67 %). Their relation enters as one more "result", a marathon at
  the time it gives for the runner's CS, weighted by that error. Given the runner's weekly
  training volume, the marathon of that relation is shifted by the volume term of Tanda
  2011's marathon formula (``140 exp(-0.0053 K)`` s/km, K in km/week).

The reserve margin (which results cannot separate from D') is held at the population's
value, and its spread is carried into the interval along the direction that keeps the D'
spent in a race.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from governor.params import RECREATIONAL, Params
from governor.scenario import Course, Environment, Feedback, Race, Segment, Training
from governor.simulate import Simulation, simulate
from governor.units import METRES_PER_MILE, format_duration, format_pace, parse_duration_s

__all__ = ["predict", "Prediction", "fit_results", "ResultsFit", "race_distance_m",
           "parse_results", "riegel_time_s", "check_result", "RACE_DISTANCES_M"]

#: Race names a runner uses -> distance [m] (road marathon 42 195 m, half 21 097.5 m).
RACE_DISTANCES_M = {
    "800": 800.0, "1500": 1500.0, "mile": METRES_PER_MILE, "1mile": METRES_PER_MILE,
    "3k": 3000.0, "2mile": 2 * METRES_PER_MILE, "5k": 5000.0, "8k": 8000.0,
    "5mile": 5 * METRES_PER_MILE, "10k": 10000.0, "12k": 12000.0, "15k": 15000.0,
    "10mile": 10 * METRES_PER_MILE, "20k": 20000.0, "half": 21097.5,
    "halfmarathon": 21097.5, "hm": 21097.5, "25k": 25000.0, "30k": 30000.0,
    "marathon": 42195.0, "full": 42195.0, "50k": 50000.0,
}
#: Shortest and longest race predicted [m].
RACE_RANGE_M = (800.0, 100_000.0)

#: Temperature the results are assumed to have been run in [degC] unless given: our
#: choice, cool conditions in which most personal bests are set.
RESULTS_TEMPERATURE_C = 12.0

#: Typical race-to-race variability of a runner's time (coefficient of variation), up to
#: 15 km and beyond. Hopkins & Hewson 2001 (Med Sci Sports Exerc 33:1588): 1.2-1.9 % for
#: the fastest quartile of men over road and cross-country races, 2.7-4.2 % over half
#: marathons, 2.6 % over marathons, and up to 2.3x more for slower runners; we take values
#: inside those ranges for a recreational runner.
RACE_DAY_CV = (0.02, 0.03)
RACE_DAY_CV_SPLIT_M = 15_000.0

#: Population prior of D' [m]: mean and standard deviation. Typical values 120-250 m in
#: Smyth & Muniz-Pumares 2020; the spread (100 m) is our choice, wide enough to let two
#: results move it.
D_PRIME_PRIOR_M = (200.0, 100.0)
#: Spread of the reserve margin across runners [-]: the standard deviation of a uniform
#: 0.10-0.45 (the simulated population's range, our choice around the default 0.25).
MARGIN_SD = 0.35 / math.sqrt(12.0)

#: Smyth & Muniz-Pumares 2020 (Med Sci Sports Exerc 52:2637): marathon speed as a fraction
#: of CS against marathon time, (time [s], fraction) at both ends of their data; linear
#: between, held beyond.
SMYTH_MARATHON_FRACTION = ((150 * 60.0, 0.930), (360 * 60.0, 0.789))
#: Their error of marathon time predicted from CS (fraction of the time).
SMYTH_MARATHON_ERROR = 0.0767
MARATHON_M = 42195.0

#: Tanda 2011 (J Hum Sport Exerc 6:511): marathon pace [s/km] = 17.1 + 140.0 exp(-0.0053 K)
#: + 0.55 P, K the mean weekly distance [km/week] over 8 weeks, P the mean training pace.
TANDA_VOLUME_S_PER_KM = 140.0
TANDA_VOLUME_PER_KM_WEEK = 0.0053
#: Weekly volume [km/week] taken as that of the runners behind the Smyth & Muniz-Pumares
#: relation (our choice, a recreational marathoner's volume): a runner who trains more is
#: predicted a faster marathon than the relation gives, one who trains less a slower.
REFERENCE_WEEKLY_KM = 45.0

#: Men's world records (World Athletics): (distance [m], time [s]) of 1500 m (3:26.00,
#: 1998), 5000 m (12:35.36, 2020), 10 000 m (26:11.00, 2020) and the marathon (2:00:35,
#: 2023). A result faster than the record speed interpolated between them (with 3 % to
#: spare) is refused as implausible.
WORLD_RECORDS = ((1500.0, 206.00), (5000.0, 755.36), (10000.0, 1571.00), (42195.0, 7235.0))
RECORD_ALLOWANCE = 1.03

#: Time step of the prediction's simulations [s].
DT = 1.0
#: Time step of the simulations that fit results [s]: a finish time moves by well under a
#: second against 1 s steps, and results weigh with a race-to-race variability of 2-3 %.
FIT_DT = 2.0


# ---- parsing ------------------------------------------------------------------------
def race_distance_m(value) -> float:
    """A race distance [m] from metres (``10000``, ``"10000"``, ``"10000m"``), kilometres or
    miles (``"10km"``, ``"13.1mi"``) or a name (``"5k"``, ``"10k"``, ``"half"``,
    ``"marathon"``, ``"mile"``; see :data:`RACE_DISTANCES_M`).

    Raises ValueError naming the value when it is none of these or outside 800 m-100 km.
    """
    if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
        metres = float(value)
    else:
        text = str(value).strip().lower().replace(" ", "").replace("-", "").replace("_", "")
        if text in RACE_DISTANCES_M:
            metres = RACE_DISTANCES_M[text]
        else:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(m|km|k|mi|mile|miles)?", text)
            if m is None:
                names = ", ".join(sorted({"5k", "10k", "half", "marathon", "mile", "15k",
                                          "10mile", "30k"}))
                raise ValueError(f"unknown race {value!r}: give metres (10000), km (10km), "
                                 f"miles (13.1mi) or a name ({names})")
            number = float(m.group(1))
            unit = m.group(2) or "m"
            metres = number * {"m": 1.0, "km": 1000.0, "k": 1000.0, "mi": METRES_PER_MILE,
                               "mile": METRES_PER_MILE, "miles": METRES_PER_MILE}[unit]
    lo, hi = RACE_RANGE_M
    if not (math.isfinite(metres) and lo <= metres <= hi):
        raise ValueError(f"race distance {value!r} is outside {lo:g} m to {hi / 1000:g} km")
    return metres


def record_time_s(distance_m: float) -> float:
    """The world-record time [s] at a distance [m], interpolated in log speed against log
    distance between :data:`WORLD_RECORDS` (extrapolated with the end slopes)."""
    d = np.log([r[0] for r in WORLD_RECORDS])
    v = np.log([r[0] / r[1] for r in WORLD_RECORDS])
    x = math.log(distance_m)
    if x <= d[0]:
        slope = (v[1] - v[0]) / (d[1] - d[0])
        lv = v[0] + slope * (x - d[0])
    elif x >= d[-1]:
        slope = (v[-1] - v[-2]) / (d[-1] - d[-2])
        lv = v[-1] + slope * (x - d[-1])
    else:
        lv = float(np.interp(x, d, v))
    return distance_m / math.exp(lv)


def check_result(distance_m: float, time_s: float) -> None:
    """Refuse a result that is not a plausible run: ValueError when the time is not
    positive, or faster than the world record for the distance (3 % allowed), or slower
    than walking (1 m/s)."""
    if not (math.isfinite(time_s) and time_s > 0):
        raise ValueError(f"a result of {distance_m:g} m needs a positive time, not {time_s!r}")
    record = record_time_s(distance_m)
    if time_s * RECORD_ALLOWANCE < record:
        raise ValueError(
            f"{format_duration(time_s)} for {distance_m:g} m is implausibly fast: the world "
            f"record pace gives {format_duration(record)}")
    if distance_m / time_s < 1.0:
        raise ValueError(f"{format_duration(time_s)} for {distance_m:g} m is slower than "
                         "walking: give a race time")


def parse_results(results) -> dict[float, float]:
    """Race results as ``{distance [m]: time [s]}`` from a mapping (distances as metres or
    race names, times as seconds or ``"h:mm:ss"``) or from strings ``"10k=41:30"``.
    Each result is checked (:func:`check_result`)."""
    if isinstance(results, str):
        results = [results]
    if isinstance(results, Mapping):
        pairs = list(results.items())
    else:
        pairs = []
        for item in results:
            if isinstance(item, str):
                if "=" not in item:
                    raise ValueError(f"a result is DISTANCE=TIME (e.g. 10k=41:30), not {item!r}")
                item = item.split("=", 1)
            pairs.append(tuple(item))
    out: dict[float, float] = {}
    for d, t in pairs:
        metres = race_distance_m(d)
        seconds = parse_duration_s(t) if isinstance(t, str) else float(t)
        check_result(metres, seconds)
        out[metres] = min(seconds, out.get(metres, math.inf))
    if not out:
        raise ValueError("no race results given")
    return dict(sorted(out.items()))


def riegel_time_s(distance_m: float, results: Mapping[float, float],
                  exponent: float = 1.06) -> float:
    """Riegel's (1981) prediction ``t2 = t1 (d2/d1)^1.06`` from the result nearest in
    log distance."""
    d1 = min(results, key=lambda d: abs(math.log(d / distance_m)))
    return float(results[d1] * (distance_m / d1) ** exponent)


def critical_speed_line(results: Mapping[float, float]) -> tuple[float, float] | None:
    """CS [m/s] and D' [m] of the plain two-parameter model, the least-squares line
    distance = CS x time + D' through two or more results; None with one."""
    if len(results) < 2:
        return None
    d = np.array(list(results), dtype=float)
    t = np.array(list(results.values()), dtype=float)
    cs, dp = np.polyfit(t, d, 1)
    return float(cs), float(dp)


def race_day_cv(distance_m: float) -> float:
    """Race-to-race variability of a runner's time at this distance (:data:`RACE_DAY_CV`)."""
    return RACE_DAY_CV[0] if distance_m <= RACE_DAY_CV_SPLIT_M else RACE_DAY_CV[1]


# ---- durability from a population relation --------------------------------------------
def smyth_marathon_time_s(critical_speed_mps: float, weekly_km: float | None = None) -> float:
    """The marathon time [s] of a runner of this CS by the relation of Smyth &
    Muniz-Pumares 2020 (:data:`SMYTH_MARATHON_FRACTION`), shifted by Tanda 2011's volume
    term for ``weekly_km`` against :data:`REFERENCE_WEEKLY_KM`."""
    (t0, f0), (t1, f1) = SMYTH_MARATHON_FRACTION

    def fraction(t):
        return f0 + (f1 - f0) * min(max((t - t0) / (t1 - t0), 0.0), 1.0)

    t = MARATHON_M / (0.85 * critical_speed_mps)
    for _ in range(60):  # a contraction: the fraction changes slowly with the time
        t_new = MARATHON_M / (fraction(t) * critical_speed_mps)
        if abs(t_new - t) < 0.01:
            break
        t = t_new
    if weekly_km is not None:
        k = TANDA_VOLUME_PER_KM_WEEK
        shift = TANDA_VOLUME_S_PER_KM * (math.exp(-k * weekly_km)
                                         - math.exp(-k * REFERENCE_WEEKLY_KM))
        t += MARATHON_M / 1000.0 * shift
    return float(t)


# ---- fitting results ------------------------------------------------------------------
def _race_time(params: Params, distance_m: float, *, course=None, environment=None,
               feedback=None, dt: float = DT) -> float:
    """Finish time [s] of the governed race (inf if the runner does not finish)."""
    sim = simulate(params, Race(distance_m), course=course, environment=environment,
                   feedback=feedback, dt=dt)
    if sim.distance_m < distance_m - 1.0:
        return math.inf
    return sim.finish_time_s


@dataclass
class ResultsFit:
    """Parameters estimated from race results (see :func:`fit_results`).

    ``params`` are the estimates; ``covariance`` is over ``names`` (in their units);
    ``residuals`` holds each result's and prior's standardised misfit; ``loo_errors`` each
    result's leave-one-out error of log time (approximate, from the leverages) when there
    are three results or more; ``scale`` the factor (>= 1) applied to the covariance when
    those errors exceed the race-to-race variability."""

    params: Params
    names: tuple[str, ...]
    covariance: np.ndarray
    results: dict[float, float]
    residuals: pd.Series
    loo_errors: pd.Series
    scale: float
    assumptions: list[str]
    n_simulations: int


def fit_results(results, *, base: Params | None = None, environment: Environment | None = None,
                weekly_km: float | None = None, fixed: Sequence[str] = ()) -> ResultsFit:
    """Fit critical speed, D' and durability to race results ``{distance [m]: time [s]}``
    (see the module docstring for the priors), the results run on the flat in
    ``environment`` (default :data:`RESULTS_TEMPERATURE_C`). ``fixed`` names any of the
    three to hold at ``base``'s value."""
    from scipy.optimize import least_squares

    results = parse_results(results)
    base = RECREATIONAL if base is None else base
    env = Environment(temperature_c=RESULTS_TEMPERATURE_C) if environment is None else environment
    names = tuple(n for n in ("critical_speed_mps", "d_prime_m", "durability_loss_per_h")
                  if n not in fixed)
    if not names:
        raise ValueError("fit_results: nothing left to fit (all of CS, D' and durability fixed)")
    assumptions = [f"results run on the flat at {env.temperature_at(0.0):g} °C"
                   if environment is None else "results run in the environment given"]
    d = np.array(list(results), dtype=float)
    t = np.array(list(results.values()), dtype=float)
    cv = np.array([race_day_cv(x) for x in d])
    long_result = any(x >= 30_000.0 for x in d)
    use_smyth = "durability_loss_per_h" in names
    use_dprime_prior = "d_prime_m" in names
    if use_smyth:
        assumptions.append(
            "durability from the marathon Smyth & Muniz-Pumares 2020 give a runner of this "
            "CS (±7.7 %)" + (f", shifted for {weekly_km:g} km/week (Tanda 2011)"
                             if weekly_km is not None else
                             f"; no weekly volume given: a recreational marathoner's "
                             f"({REFERENCE_WEEKLY_KM:g} km/week) assumed")
            + ("; the long result informs it too" if long_result else ""))
    if use_dprime_prior:
        assumptions.append(f"D' from the results and a population prior "
                           f"({D_PRIME_PRIOR_M[0]:g} ± {D_PRIME_PRIOR_M[1]:g} m)")
    assumptions.append(f"reserve margin {base.reserve_margin:g} ± {MARGIN_SD:.2f} "
                       "(results cannot separate it from D')")
    lo = np.array([Params.bounds(n)[0] for n in names])
    hi = np.array([Params.bounds(n)[1] for n in names])
    scale = np.array([{"critical_speed_mps": 0.1, "d_prime_m": 50.0,
                       "durability_loss_per_h": 0.02}[n] for n in names])
    counter = [0]

    def params_of(x) -> Params:
        values = dict(zip(names, map(float, x), strict=True))
        p = base.replace(**values)
        if p.v_max_mps < p.critical_speed_mps + 1.0:
            p = p.replace(v_max_mps=p.critical_speed_mps + 1.0)
        return p

    def residuals(x) -> np.ndarray:
        p = params_of(x)
        out = []
        for di, ti, ci in zip(d, t, cv, strict=True):
            counter[0] += 1
            out.append(math.log(_race_time(p, di, environment=env, dt=FIT_DT) / ti) / ci)
        if use_dprime_prior:
            out.append((p.d_prime_m - D_PRIME_PRIOR_M[0]) / D_PRIME_PRIOR_M[1])
        if use_smyth:
            counter[0] += 1
            target = smyth_marathon_time_s(p.critical_speed_mps, weekly_km)
            out.append(math.log(_race_time(p, MARATHON_M, environment=env, dt=FIT_DT)
                                / target)
                       / SMYTH_MARATHON_ERROR)
        return np.array(out)

    # start: the two-parameter line through the results (or CS from the longest result)
    x0 = []
    line = critical_speed_line(results)
    for n in names:
        if n == "critical_speed_mps":
            cs = line[0] if line is not None else (d[-1] - D_PRIME_PRIOR_M[0]) / t[-1]
            x0.append(cs)
        elif n == "d_prime_m":
            x0.append(line[1] if line is not None else D_PRIME_PRIOR_M[0])
        else:
            x0.append(getattr(base, n))
    x0 = np.clip(np.array(x0, dtype=float), lo + 1e-6 * (hi - lo), hi - 1e-6 * (hi - lo))
    res = least_squares(residuals, x0, bounds=(lo, hi), x_scale=scale, diff_step=2e-3,
                        xtol=1e-4, ftol=1e-4, gtol=1e-6)
    labels = [f"{x:g} m" for x in d] + (["D' prior"] if use_dprime_prior else []) + \
        (["durability relation"] if use_smyth else [])
    jac = res.jac
    info = jac.T @ jac
    cov = np.linalg.pinv(info)
    # leave-one-out errors of the results from the leverages (exact for a linear model)
    n_res = len(d)
    loo = pd.Series(dtype=float)
    factor = 1.0
    if n_res >= 3:
        hat = jac @ cov @ jac.T
        lev = np.clip(np.diag(hat)[:n_res], 0.0, 0.99)
        e = res.fun[:n_res] / (1.0 - lev)
        loo = pd.Series(e * cv, index=labels[:n_res], name="log time error")
        factor = max(1.0, float(np.mean(e ** 2)))
        rms = 100 * float(np.sqrt(np.mean((e * cv) ** 2)))
        assumptions.append(f"held-back results miss by {rms:.1f} % (rms); intervals "
                           f"widened ×{math.sqrt(factor):.2f}"
                           if factor > 1.0 else
                           "held-back results within the race-to-race variability")
    return ResultsFit(params=params_of(res.x), names=names, covariance=cov * factor,
                      results=results, residuals=pd.Series(res.fun, index=labels),
                      loo_errors=loo, scale=factor, assumptions=assumptions,
                      n_simulations=counter[0])


# ---- the prediction --------------------------------------------------------------------
@dataclass
class Prediction:
    """A predicted race (see :func:`predict`).

    Attributes
    ----------
    finish_time_s : float
        Predicted finish time [s]: the governed runner's own race on the course.
    interval_s : tuple of float
        2.5 % and 97.5 % limits [s]: from the parameters' uncertainty, the reserve margin's
        spread across runners and the race-to-race variability of a runner's times.
    splits : pandas.DataFrame
        Per km: elapsed and split time [s], pace (min/km), speed [m/s], elevation [m] and
        climb [m] over the km.
    plan : pandas.DataFrame
        The pacing plan per km the governor would choose: target pace and elapsed time at
        each marker (:meth:`pacing_plan` gives it per mile).
    simulation : Simulation
        The simulated race.
    params : Params
        The runner.
    riegel_s, cs_model_s : float
        Riegel's (exponent 1.06) and the plain CS/D' model's times [s] for comparison (NaN
        where there is nothing to compute them from).
    sd_log : float
        Standard deviation of log finish time behind the interval, with its parts in
        ``sd_parts``.
    """

    race_m: float
    finish_time_s: float
    interval_s: tuple[float, float]
    splits: pd.DataFrame
    plan: pd.DataFrame
    simulation: Simulation
    params: Params
    riegel_s: float
    cs_model_s: float
    sd_log: float
    sd_parts: dict
    source: str
    assumptions: list[str]
    course: Course
    environment: Environment
    feedback: Feedback | None
    results: dict = field(default_factory=dict)
    n_simulations: int = 0

    # -- tables -----------------------------------------------------------------------
    def pacing_plan(self, units: str = "metric") -> pd.DataFrame:
        """The plan per km (``units="metric"``) or per mile (``"imperial"``): marker,
        target pace, split and elapsed time at the marker."""
        per = _per(units)
        return _plan(self.simulation, self.race_m, per)

    def report(self, units: str = "metric") -> str:
        """A runner's summary: the time and its interval, the comparison models, the plan
        by km (or mile) and what was assumed."""
        per = _per(units)
        lo, hi = self.interval_s
        lines = [
            f"Predicted {_race_label(self.race_m)}: {format_duration(self.finish_time_s)} "
            f"({format_pace(self.race_m / self.finish_time_s, per)}), "
            f"95 % interval {format_duration(lo)} - {format_duration(hi)}",
            f"  from      {self.source}",
            f"  weather   {_weather(self.environment)}; course "
            f"{_course_label(self.course, self.race_m)}",
            "  beside it (flat, cool, no pacing):",
            f"    Riegel (exponent 1.06)  {_fmt(self.riegel_s)}",
            f"    CS/D' model             {_fmt(self.cs_model_s)}"
            + ("" if math.isnan(self.cs_model_s) else
               f"  (CS {format_pace(self.params.critical_speed_mps, per)})"),
            "  uncertainty (sd of log time): "
            + ", ".join(f"{k} {100 * v:.1f} %" for k, v in self.sd_parts.items()),
            "  assumed:",
        ]
        lines += [f"    - {a}" for a in self.assumptions]
        plan = self.pacing_plan(units)
        lines.append(f"  plan ({'mile' if per == 'mile' else 'km'} by "
                     f"{'mile' if per == 'mile' else 'km'}):")
        shown = plan.drop(columns=["marker_m", "split_s", "elapsed_s"])
        lines.append("    " + shown.to_string(index=False).replace("\n", "\n    "))
        return "\n".join(lines)

    def summary(self) -> dict:
        """Plain values: finish time and interval [s], Riegel and CS/D' [s]."""
        return {"race_m": self.race_m, "finish_time_s": self.finish_time_s,
                "low_s": self.interval_s[0], "high_s": self.interval_s[1],
                "riegel_s": self.riegel_s, "cs_model_s": self.cs_model_s}

    # -- what if ----------------------------------------------------------------------
    def compare(self, scenarios: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
        """The same runner and course under other scenarios, against the governor's own
        plan here.

        ``scenarios`` maps a label to a dict of any of ``temperature_c`` (replaces the
        air temperature), ``environment`` (replaces the weather), ``pacing`` (``"even"``:
        an even effort, the grade-adjusted pace the governor's race averaged;
        ``("first_half", f)``: the first half at ``f`` x its grade-adjusted pace there, the
        second slower by what keeps the same target time; ``("pacer", f)``: a pacer
        believed to be the runner's best, actually ``f`` x faster), and ``feedback`` (a
        :class:`Feedback`, e.g. a watch that reads long). A planned pace the reserve cannot
        hold is cut by the governor, then the
        runner finishes as hard as they can. Default: :func:`default_scenarios`.

        Returns one row per scenario: finish time [s], its difference from the plan [s and
        %], mean pace, and what it is.
        """
        scenarios = default_scenarios(self) if scenarios is None else scenarios
        rows = [{"scenario": "governor's plan", "finish_time_s": self.finish_time_s,
                 "what": "the prediction: the governor paces itself"}]
        for label, spec in scenarios.items():
            t, what = self._scenario_time(spec)
            rows.append({"scenario": label, "finish_time_s": t, "what": what})
        table = pd.DataFrame(rows).set_index("scenario")
        table["finish"] = table["finish_time_s"].map(_fmt)
        table["vs_plan_s"] = table["finish_time_s"] - self.finish_time_s
        table["vs_plan_pct"] = 100.0 * table["vs_plan_s"] / self.finish_time_s
        table["pace"] = [format_pace(self.race_m / x) if math.isfinite(x) else "-"
                         for x in table["finish_time_s"]]
        return table[["finish", "vs_plan_s", "vs_plan_pct", "pace", "finish_time_s", "what"]]

    def _scenario_time(self, spec: Mapping) -> tuple[float, str]:
        unknown = set(spec) - {"temperature_c", "environment", "pacing", "feedback"}
        if unknown:
            raise ValueError(f"compare: unknown scenario key(s) {sorted(unknown)}; use "
                             "temperature_c, environment, pacing, feedback")
        env = spec.get("environment", self.environment)
        parts = []
        if "temperature_c" in spec:
            env = _with_temperature(env, float(spec["temperature_c"]))
            parts.append(f"air {float(spec['temperature_c']):g} °C")
        elif "environment" in spec:
            parts.append(_weather(env))
        feedback = spec.get("feedback", self.feedback)
        if "feedback" in spec:
            parts.append(_feedback_label(feedback))
        pacing = spec.get("pacing")
        if pacing is None or pacing == "governor":
            t = _race_time(self.params, self.race_m, course=self.course, environment=env,
                           feedback=feedback)
            return t, "; ".join(parts) or "the governor's plan"
        sim = self.simulation
        t, d = sim.time_s, sim.column("distance_m")
        effort = sim.column("metabolic_speed_mps")  # flat-equivalent speed [m/s]
        t_end = self.finish_time_s
        if pacing == "even":
            e = float(np.trapezoid(effort, t) / t_end)
            plan = [(t_end, e)]
            parts.append(f"even effort: grade-adjusted pace {format_pace(e)} throughout")
        elif isinstance(pacing, tuple) and pacing[0] == "first_half":
            f = float(pacing[1])
            t_half = float(np.interp(self.race_m / 2.0, d, t))
            first = t <= t_half
            e1 = float(np.trapezoid(effort[first], t[first]) / t_half)
            e2 = float(np.trapezoid(effort[~first], t[~first]) / (t_end - t_half))
            d1 = t_half / f
            g = (t_end - t_half) / (t_end - d1) if t_end > d1 else 1.0
            plan = [(d1, f * e1), (t_end - d1, g * e2)]
            parts.append(f"first half {100 * (f - 1):+.0f} % ({format_pace(f * e1)} "
                         f"grade-adjusted), second {format_pace(g * e2)}")
        elif isinstance(pacing, tuple) and pacing[0] == "pacer":
            f = float(pacing[1])
            fb = replace(feedback or Feedback(), pacer_factor=f)
            t = _race_time(self.params, self.race_m, course=self.course, environment=env,
                           feedback=fb)
            parts.append(f"a pacer {100 * (f - 1):+.0f} % faster than the runner's best, "
                         "believed to be it")
            return t, "; ".join(parts)
        else:
            raise ValueError(f"compare: unknown pacing {pacing!r}; use 'governor', 'even', "
                             "('first_half', f) or ('pacer', f)")
        return _planned_time(self.params, self.race_m, plan, self.course, env), \
            "; ".join(parts)

    def plot(self, ax=None, units: str = "metric"):
        """The plan by km (or mile) over the course's elevation.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; ``None`` makes a new figure.
        units : {"metric", "imperial"}
            The plan per km, pace in min/km, or per mile, pace in min/mile.

        Returns
        -------
        matplotlib.figure.Figure
            The figure drawn on. The plan is a step line (``StepPatch``) of each split's pace
            [s per km, or mile], m:ss ticks on an inverted axis (faster higher, as in
            :mod:`governor.plot`); the elevation, on a hilly course, on a twin axis.
        """
        import matplotlib.pyplot as plt

        from governor.plot import set_pace_axis

        per = _per(units)
        unit_m = METRES_PER_MILE if per == "mile" else 1000.0
        if ax is None:
            fig, ax = plt.subplots(figsize=(8, 4))
        else:
            fig = ax.figure
        plan = _plan(self.simulation, self.race_m, per)
        edges = np.concatenate([[0.0], plan["marker_m"].to_numpy()]) / unit_m
        pace = plan["split_s"].to_numpy() / np.diff(edges)
        ax.stairs(pace, edges, baseline=None, color="C0", lw=2,
                  label=f"planned pace (min/{per})")
        ax.set_xlabel(f"distance ({per})")
        set_pace_axis(ax, units, speed_axis=False, label=f"pace (min/{per})", frame=False)
        pad = 0.15 * np.ptp(pace) + 0.01 * pace.max()
        ax.set_ylim(pace.max() + pad, pace.min() - pad)
        ax.set_title(f"{_race_label(self.race_m)}: {format_duration(self.finish_time_s)} "
                     f"({format_duration(self.interval_s[0])}-"
                     f"{format_duration(self.interval_s[1])})")
        z_d, z = _elevation_profile(self.course, self.race_m)
        if np.ptp(z) > 0.5:
            ax2 = ax.twinx()
            ax2.fill_between(z_d / unit_m, z, z.min() - 1.0, color="0.85", zorder=0)
            ax2.set_ylabel("elevation (m)")
            ax.set_zorder(ax2.get_zorder() + 1)
            ax.patch.set_visible(False)
        ax.legend(loc="best")
        return fig


def default_scenarios(prediction: Prediction) -> dict[str, dict]:
    """Six what-ifs: 5 °C cooler and warmer, even pace, a first half 3 % fast, a pacer 2 %
    faster than the runner's best, and a watch that reads 3 % long (the runner believes
    more is done than is)."""
    t_air = prediction.environment.temperature_at(0.0)
    return {
        f"{t_air - 5:g} °C": {"temperature_c": t_air - 5.0},
        f"{t_air + 5:g} °C": {"temperature_c": t_air + 5.0},
        "even pace": {"pacing": "even"},
        "first half 3 % fast": {"pacing": ("first_half", 1.03)},
        "pacer 2 % fast": {"pacing": ("pacer", 1.02)},
        "watch reads 3 % long": {"feedback": Feedback(distance_scale=1.03)},
    }


def predict(source, race, *, weekly_km: float | None = None, course: Course | None = None,
            environment: Environment | None = None, feedback: Feedback | None = None,
            results_environment: Environment | None = None) -> Prediction:
    """Predict a race: finish time, interval, splits and the governor's pacing plan.

    Parameters
    ----------
    source : FitResult, Params, or race results
        A fit of the runner's logs (its parameters and their errors), a parameter set, or
        results ``{distance: time}`` (distances in metres or race names, times in seconds
        or ``"h:mm:ss"``), from which the runner is fitted first (:func:`fit_results`).
    race : float, str or Race
        The race: metres, a name (``"10k"``, ``"half"``, ``"marathon"``) or a
        :class:`Race`.
    weekly_km : float, optional
        The runner's typical weekly training volume [km/week]: with results, it shifts the
        durability relation (Tanda 2011). Without it a recreational marathoner's volume is
        assumed and the report says so. Ignored for a fit or parameter set that sets
        durability itself.
    course : Course, optional
        The course (:meth:`Course.from_log` reads one from a GPX route or log); flat if
        not given. A course shorter than the race is flat beyond its end.
    environment : Environment, optional
        The weather (:meth:`Environment.from_forecast`); 12 °C, 50 % humidity, no wind or
        sun if not given.
    feedback : Feedback, optional
        What the runner is told, if not the truth.
    results_environment : Environment, optional
        The conditions the results were run in (default 12 °C, flat).
    """
    from governor.fitting.fit import FitResult

    race_m = race.distance_m if isinstance(race, Race) else race_distance_m(race)
    course = Course() if course is None else course
    env = Environment(temperature_c=RESULTS_TEMPERATURE_C) if environment is None else environment
    n_sims = 0
    assumptions: list[str] = []
    results: dict[float, float] = {}
    if isinstance(source, FitResult):
        if source.params_ is None:
            raise ValueError("predict: the fit failed, there are no parameters to predict from")
        params = source.params_
        names = [n for n in ("critical_speed_mps", "d_prime_m", "durability_loss_per_h",
                             "reserve_margin") if n in source.varied
                 and math.isfinite(source.stderr_.get(n, math.nan))]
        se = np.array([source.stderr_[n] for n in names])
        corr = source.correlation_.loc[names, names].to_numpy() if names else np.zeros((0, 0))
        cov = corr * np.outer(se, se)
        results = {log.distance_m[-1]: float(log.time_s[-1]) for log in source.logs
                   if log.effort == "race"}
        label = f"a fit of {len(source.logs)} log(s)"
        margin_free = "reserve_margin" not in names
        if "durability_loss_per_h" not in names:
            assumptions.append(f"durability as given ({params.durability_loss_per_h:g} /h): "
                               "the logs did not fit it")
    elif isinstance(source, Params):
        params, names, cov = source, [], np.zeros((0, 0))
        label = "the parameters given"
        margin_free = False
        assumptions.append("the parameters given, taken as exact: the interval holds the "
                           "race-to-race variability only")
    else:
        rf = fit_results(source, environment=results_environment, weekly_km=weekly_km)
        params, names, cov = rf.params, list(rf.names), rf.covariance
        results = rf.results
        n_sims += rf.n_simulations
        label = "results " + ", ".join(f"{_race_label(d)} {format_duration(t)}"
                                       for d, t in results.items())
        assumptions += rf.assumptions
        margin_free = True

    sim = simulate(params, Race(race_m), course=course, environment=env, feedback=feedback,
                   dt=DT)
    n_sims += 1
    t_hat = sim.finish_time_s
    if sim.distance_m < race_m - 1.0:
        raise ValueError(f"predict: the runner did not reach the finish of "
                         f"{_race_label(race_m)} in the simulation")

    # interval: slopes of log time against each uncertain parameter
    steps = {"critical_speed_mps": 0.01, "d_prime_m": 10.0, "durability_loss_per_h": 0.005,
             "reserve_margin": 0.02}

    def log_time(p: Params) -> float:
        return math.log(_race_time(p, race_m, course=course, environment=env,
                                   feedback=feedback))

    grad = []
    for n in names:
        h = steps[n]
        lo_b, hi_b = Params.bounds(n)
        v = getattr(params, n)
        h = h if v + h <= hi_b else -h
        grad.append((log_time(params.replace(**{n: v + h})) - math.log(t_hat)) / h)
        n_sims += 1
    grad = np.array(grad)
    var_params = float(grad @ cov @ grad) if names else 0.0
    parts = {"parameters": math.sqrt(max(var_params, 0.0))}
    if margin_free:
        # the margin along the direction that keeps the D' spent, (1 - m) D', as fitted
        m = params.reserve_margin
        dm = 0.05 if m + 0.05 < Params.bounds("reserve_margin")[1] else -0.05
        spent = (1.0 - m) * params.d_prime_m
        dp = float(np.clip(spent / (1.0 - m - dm), *Params.bounds("d_prime_m")))
        g_m = (log_time(params.replace(reserve_margin=m + dm, d_prime_m=dp))
               - math.log(t_hat)) / dm
        n_sims += 1
        parts["reserve margin"] = abs(g_m) * MARGIN_SD
    parts["race day"] = race_day_cv(race_m)
    sd = math.sqrt(sum(v ** 2 for v in parts.values()))
    interval = (t_hat * math.exp(-1.96 * sd), t_hat * math.exp(1.96 * sd))

    riegel = riegel_time_s(race_m, results) if results else math.nan
    line = critical_speed_line(results) if results else None
    if line is not None and line[0] > 0:
        cs_model = (race_m - line[1]) / line[0]
    elif not results:
        cs_model = (race_m - params.d_prime_m) / params.critical_speed_mps
    else:
        cs_model = math.nan
    if not results:
        ten = _race_time(params, 10_000.0, environment=Environment(
            temperature_c=RESULTS_TEMPERATURE_C))
        n_sims += 1
        riegel = riegel_time_s(race_m, {10_000.0: ten})
        assumptions.append(f"Riegel from the model's own 10 km ({format_duration(ten)}, "
                           f"flat, {RESULTS_TEMPERATURE_C:g} °C)")
    if course.distance_m[-1] > 0 and course.distance_m[-1] < race_m - 50.0:
        assumptions.append(f"the course profile ends at {course.distance_m[-1] / 1000:.2f} "
                           "km; flat beyond")
    return Prediction(race_m=race_m, finish_time_s=t_hat, interval_s=interval,
                      splits=_splits(sim, race_m, course), plan=_plan(sim, race_m, "km"),
                      simulation=sim, params=params, riegel_s=riegel, cs_model_s=cs_model,
                      sd_log=sd, sd_parts=parts, source=label, assumptions=assumptions,
                      course=course, environment=env, feedback=feedback, results=results,
                      n_simulations=n_sims)


# ---- helpers ----------------------------------------------------------------------
def _planned_time(params: Params, race_m: float, plan, course: Course,
                  env: Environment) -> float:
    """Finish time [s] of a race run to a planned pace: parts of (duration [s], target
    grade-adjusted speed [m/s]) as a training session whose pace the governor caps by the
    reserve, then all out (RPE 10) until the finish; the time the distance is reached."""
    segments = [Segment(duration, target_speed_mps=v) for duration, v in plan]
    segments.append(Segment(max(3600.0, 0.5 * race_m / plan[-1][1]), target_rpe=10.0))
    sim = simulate(params, Training(tuple(segments)), course=course, environment=env, dt=DT)
    d = sim.column("distance_m")
    if d[-1] < race_m:
        return math.inf
    return float(np.interp(race_m, d, sim.time_s))


def _per(units: str) -> str:
    if units not in ("metric", "imperial"):
        raise ValueError(f"units must be 'metric' or 'imperial', not {units!r}")
    return "mile" if units == "imperial" else "km"


def _plan(sim: Simulation, race_m: float, per: str) -> pd.DataFrame:
    unit_m = METRES_PER_MILE if per == "mile" else 1000.0
    d = sim.column("distance_m")
    marks = np.arange(unit_m, race_m - 1e-6, unit_m)
    marks = np.append(marks, race_m)
    elapsed = np.interp(marks, d, sim.time_s)
    split = np.diff(np.concatenate([[0.0], elapsed]))
    length = np.diff(np.concatenate([[0.0], marks]))
    label = [f"{m / unit_m:g}" if abs(m / unit_m - round(m / unit_m)) < 1e-9
             else f"{m / unit_m:.2f}" for m in marks]
    return pd.DataFrame({
        per: label,
        "marker_m": marks,
        "pace": [format_pace(ln / s, per) for ln, s in zip(length, split, strict=True)],
        "split": [format_duration(s) for s in split],
        "elapsed": [format_duration(e) for e in elapsed],
        "split_s": split,
        "elapsed_s": elapsed,
    })


def _elevation_profile(course: Course, race_m: float) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(course.distance_m)
    z = np.asarray(course.elevation_m)
    grid = np.linspace(0.0, race_m, 400)
    return grid, np.interp(grid, d, z)


def _splits(sim: Simulation, race_m: float, course: Course) -> pd.DataFrame:
    plan = _plan(sim, race_m, "km")
    marks = plan["marker_m"].to_numpy()
    starts = np.concatenate([[0.0], marks[:-1]])
    d, z = np.asarray(course.distance_m), np.asarray(course.elevation_m)
    fine = np.arange(0.0, race_m + 10.0, 10.0)
    zf = np.interp(fine, d, z)
    climb = [float(np.sum(np.clip(np.diff(zf[(fine >= a) & (fine <= b)]), 0.0, None)))
             for a, b in zip(starts, marks, strict=True)]
    return pd.DataFrame({
        "km": plan["km"],
        "distance_m": marks,
        "elapsed_s": plan["elapsed_s"],
        "split_s": plan["split_s"],
        "pace": plan["pace"],
        "speed_mps": (marks - starts) / plan["split_s"].to_numpy(),
        "elevation_m": np.interp(marks, d, z),
        "climb_m": climb,
    })


def _race_label(distance_m: float) -> str:
    for name, metres in (("marathon", 42195.0), ("half marathon", 21097.5),
                         ("mile", METRES_PER_MILE)):
        if abs(distance_m - metres) < 1.0:
            return name
    if distance_m >= 1000.0 and abs(distance_m / 1000.0 - round(distance_m / 1000.0)) < 1e-9:
        return f"{distance_m / 1000.0:g} km"
    return f"{distance_m:g} m"


def _fmt(seconds: float) -> str:
    return format_duration(seconds) if math.isfinite(seconds) else "-"


def _weather(env: Environment) -> str:
    temps = np.atleast_1d(np.asarray(env.temperature_c, dtype=float))
    rh = np.atleast_1d(np.asarray(env.relative_humidity, dtype=float))
    wind = np.atleast_1d(np.asarray(env.wind_mps, dtype=float))
    sun = np.atleast_1d(np.asarray(env.solar_w_m2, dtype=float))
    t = (f"{temps[0]:g} °C" if temps.size == 1 or np.ptp(temps) == 0
         else f"{temps[0]:g} → {temps[-1]:g} °C")
    out = f"{t}, {100 * rh[0]:.0f} % humidity"
    if np.any(wind != 0):
        out += f", headwind {wind.mean():.1f} m/s"
    if np.any(sun > 0):
        out += f", sun {sun.mean():.0f} W/m²"
    return out


def _course_label(course: Course, race_m: float) -> str:
    d, z = _elevation_profile(course, race_m)
    climb = float(np.sum(np.clip(np.diff(z), 0.0, None)))
    return "flat" if climb < 1.0 else f"{climb:.0f} m of climbing"


def _with_temperature(env: Environment, temperature_c: float) -> Environment:
    """The environment with its air temperature moved so it starts at ``temperature_c``
    (a change over time kept)."""
    temps = np.atleast_1d(np.asarray(env.temperature_c, dtype=float))
    shifted = temps + (temperature_c - temps[0])
    value = float(shifted[0]) if shifted.size == 1 else tuple(map(float, shifted))
    return Environment(temperature_c=value, relative_humidity=env.relative_humidity,
                       wind_mps=env.wind_mps, time_s=env.time_s,
                       clothing_clo=env.clothing_clo, solar_w_m2=env.solar_w_m2)


def _feedback_label(feedback: Feedback | None) -> str:
    if feedback is None or feedback.is_truthful:
        return "truthful feedback"
    base = Feedback()
    changed = [f"{f}={getattr(feedback, f)!r}" for f in feedback.__dataclass_fields__
               if getattr(feedback, f) != getattr(base, f)]
    return "told: " + ", ".join(changed)
